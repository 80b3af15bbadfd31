/**
 * `GET /v1/events/stream`: server-sent events over real HTTP (the app listening on
 * 127.0.0.1), read as the UI reads them (fetch with the Authorization header). Each caller
 * hears of the cases it may see, as the read models scope them, with ids and types only.
 *
 * Protection: `hearsOf` (services/webhooks/live-notices.ts). Make it answer `true` for any
 * caseworker → the FR caseworker hears of DE's case and the spec fails; drop the liaison's
 * allow-list → the PK liaison hears of `ProtectionStatusVerified` and it fails.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { eventually } from './receiver.ts';

let t: TestApp;
let api: Api;
let base: string;

beforeAll(async () => {
  t = await startTestApp();
  api = await Api.start(t);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => t.close());

interface Stream {
  notices: { position: number; caseId: string; type: string }[];
  raw: string;
  ended: boolean;
  close(): void;
}

/** Opens the stream as the UI's live.js does, collecting the notices it sends. */
async function open(token: string): Promise<Stream> {
  const controller = new AbortController();
  const res = await fetch(`${base}/v1/events/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const stream: Stream = { notices: [], raw: '', ended: false, close: () => controller.abort() };
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return void (stream.ended = true);
        stream.raw += value;
        for (const m of value.matchAll(/^data: (.*)$/gm)) stream.notices.push(JSON.parse(m[1]!));
      }
    } catch {
      // aborted
    }
  })();
  // The server listens once the stream is open: wait for its first line.
  await eventually(() => stream.raw.includes('retry:'));
  await eventually(() => t.services.webhooks.live.listeners() > 0);
  return stream;
}

describe('live notices (server-sent events)', () => {
  it('answers 401 without a token, 403 to roles with no case lists, 406 to a client that does not accept it', async () => {
    expect((await fetch(`${base}/v1/events/stream`, { headers: { accept: 'text/event-stream' } })).status).toBe(401);
    expectProblem(
      await t.call('GET', '/v1/events/stream', api.tk.analyst, undefined, { accept: 'text/event-stream' }),
      403,
      ['not-permitted'],
    );
    expectProblem(
      await t.call('GET', '/v1/events/stream', api.tk.admin, undefined, { accept: 'text/event-stream' }),
      403,
      ['not-permitted'],
    );
    expectProblem(await t.call('GET', '/v1/events/stream', api.tk.cw), 406);
  });

  it("pushes ids and types of the caller's own cases only, scoped by State and role", async () => {
    const agreementId = await api.agreement();
    const [cwDE, cwFR, liaisonPK, liaisonMA, monitor] = await Promise.all([
      open(api.tk.cw),
      open(api.tk.cwFR),
      open(api.tk.liaison),
      open(api.tk.liaisonMA),
      open(api.tk.monitor),
    ]);
    try {
      const caseId = await api.requested(agreementId);
      await eventually(() => cwDE.notices.length >= 3 && liaisonPK.notices.length >= 1 && monitor.notices.length >= 3);
      const types = (s: Stream) => s.notices.filter((n) => n.caseId === caseId).map((n) => n.type);
      expect(types(cwDE)).toEqual(['CaseOpened', 'ProtectionStatusVerified', 'ReadmissionRequestSubmitted']);
      expect(types(monitor)).toEqual(['CaseOpened', 'ProtectionStatusVerified', 'ReadmissionRequestSubmitted']);
      // The origin State hears of the request, never of the protection check before it.
      expect(types(liaisonPK)).toEqual(['ReadmissionRequestSubmitted']);
      expect(liaisonPK.notices[0]).toEqual({
        position: expect.any(Number),
        caseId,
        type: 'ReadmissionRequestSubmitted',
      });

      await api.do(api.tk.liaison, caseId, 'accept-readmission');
      await eventually(
        () => types(liaisonPK).includes('ReadmissionAccepted') && types(cwDE).includes('ReadmissionAccepted'),
      );
      expect(types(liaisonPK)).toEqual(types(cwDE).filter((type) => type.startsWith('Readmission')));
      expect(cwFR.notices).toEqual([]);
      expect(liaisonMA.notices).toEqual([]);
      // Ids and types only: no name of the case's people in anything sent.
      for (const s of [cwDE, liaisonPK, monitor]) {
        for (const name of ['Amina', 'Testova', 'Sami', 'Faisalabad']) expect(s.raw).not.toContain(name);
      }
    } finally {
      for (const s of [cwDE, cwFR, liaisonPK, liaisonMA, monitor]) s.close();
    }
    await eventually(() => t.services.webhooks.live.listeners() === 0);
  });

  it('ends open streams when the server closes, so shutdown does not hang', async () => {
    const stream = await open(api.tk.monitor);
    await t.stop();
    await eventually(() => stream.ended);
  });
});
