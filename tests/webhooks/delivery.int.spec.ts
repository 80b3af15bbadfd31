/**
 * Webhook deliveries: signed per Standard Webhooks (verified with the `standardwebhooks`
 * package's own `Webhook.verify`), routed by State (a request to the origin State; concerns
 * and closures to the destination State only), with ids and types and never a name; retried
 * with backoff, then dead letters an admin replays under the same `webhook-id`.
 *
 * Protection: `WebhookDispatcher` (services/webhooks/dispatcher.ts), `payloadOf` and
 * `EVENT_KINDS` (services/webhooks/routing.ts). Copy the event's data into the payload →
 * the no-personal-data check fails; route `CaseClosed` to `originState` → the PK receiver
 * hears of a closure and the routing check fails; drop the retry → no dead letter appears.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, BODIES } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { eventually, Receiver } from './receiver.ts';

let t: TestApp;
let api: Api;
let agreementId: string;
const pk = new Receiver();
const de = new Receiver();
const ma = new Receiver();
const secrets = new Map<Receiver, string>();

async function register(receiver: Receiver, state: string, kinds: string[]): Promise<string> {
  const res = await t.call('POST', '/v1/webhooks', api.tk.admin, { url: receiver.url, state, kinds });
  expect(res.statusCode, res.body).toBe(201);
  secrets.set(receiver, res.json().secret);
  return res.json().webhookId;
}

const ALL_KINDS = [
  'readmission-request.submitted',
  'reply-deadline.approaching',
  'safeguard-concern.raised',
  'case.closed',
];
/** Everything personal the standard family case and its actions carry (http-fixtures, api-flow). */
const PERSONAL = [
  'Amina',
  'Testova',
  'Sami',
  'Faisalabad',
  '1990-04-01',
  'PK-P-0000001',
  BODIES['raise-safeguard-concern'].text,
  BODIES['close-case'].reasons,
];

beforeAll(async () => {
  t = await startTestApp({ env: { RRC_WEBHOOKS_RETRY_BASE_MS: '20', RRC_WEBHOOKS_MAX_ATTEMPTS: '3' } });
  api = await Api.start(t);
  agreementId = await api.agreement();
  await Promise.all([pk.start(), de.start(), ma.start()]);
  t.services.webhooks.start();
});
afterAll(async () => {
  await t.close();
  await Promise.all([pk.stop(), de.stop(), ma.stop()]);
});

describe('webhook deliveries', () => {
  it('delivers signed notices with ids and types only, to the States that may know', async () => {
    await register(pk, 'PK', ALL_KINDS);
    await register(de, 'DE', ALL_KINDS);
    await register(ma, 'MA', ALL_KINDS);

    const caseId = await api.requested(agreementId);
    const [submitted] = await pk.waitFor(1);
    await api.do(api.tk.monitor, caseId, 'raise-safeguard-concern');
    await api.do(api.tk.cw, caseId, 'close-case');
    await de.waitFor(2);

    // Standard Webhooks: the package's own verify accepts the headers and the exact body.
    const wh = new Webhook(secrets.get(pk)!);
    expect(() => wh.verify(submitted!.body, submitted!.headers as Record<string, string>)).not.toThrow();
    expect(submitted!.headers['webhook-id']).toMatch(/^msg_/);
    // Another endpoint's secret does not verify it.
    expect(() =>
      new Webhook(secrets.get(de)!).verify(submitted!.body, submitted!.headers as Record<string, string>),
    ).toThrow();
    expect(pk.payloads()[0]).toEqual({
      type: 'readmission-request.submitted',
      timestamp: expect.any(String),
      data: {
        caseId,
        requestId: 'q1',
        eventType: 'ReadmissionRequestSubmitted',
        occurredAt: expect.any(String),
        state: 'PK',
      },
    });

    // The destination State hears of the concern and the closure; the origin State never does.
    expect(de.payloads().map((p) => [p.type, p.data.caseId, p.data.eventType])).toEqual([
      ['safeguard-concern.raised', caseId, 'SafeguardConcernRaised'],
      ['case.closed', caseId, 'CaseClosed'],
    ]);
    for (const r of de.received) {
      expect(() => new Webhook(secrets.get(de)!).verify(r.body, r.headers as Record<string, string>)).not.toThrow();
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(pk.payloads().map((p) => p.type)).toEqual(['readmission-request.submitted']);
    expect(ma.received).toEqual([]);

    // No personal data in any body or header.
    for (const r of [...pk.received, ...de.received]) {
      const everything = r.body + JSON.stringify(r.headers);
      for (const personal of PERSONAL) expect(everything).not.toContain(personal);
    }
  });

  it('tells the origin State that a reply is due within two days, once per request and due date', async () => {
    const before = pk.received.length;
    const caseId = await api.requested(agreementId); // reply due in 25 calendar days
    await pk.waitFor(before + 1); // its submission
    await t.services.projections.waitForHead(5000);
    t.services.webhooks.dispatcher.scanNow();
    await new Promise((r) => setTimeout(r, 100));
    expect(pk.payloads().filter((p) => p.type === 'reply-deadline.approaching' && p.data.caseId === caseId)).toEqual(
      [],
    );

    t.clock.advanceDays(23); // two days before the due date
    t.services.webhooks.dispatcher.scanNow();
    t.services.webhooks.dispatcher.scanNow(); // a second scan makes no second notice
    await eventually(() => pk.payloads().some((p) => p.type === 'reply-deadline.approaching'));
    await new Promise((r) => setTimeout(r, 100));
    const approaching = pk.payloads().filter((p) => p.type === 'reply-deadline.approaching');
    expect(approaching.map((p) => p.data)).toEqual([
      expect.objectContaining({ caseId, requestId: 'q1', state: 'PK', replyDueOn: '2026-11-27' }),
    ]);
    expect(de.payloads().filter((p) => p.type === 'reply-deadline.approaching')).toEqual([]);
    t.clock.set('2026-11-02T09:00:00Z');
  });

  it('retries with backoff, then parks a dead letter that an admin replays under the same id', async () => {
    const failing = await new Receiver().start();
    try {
      const webhookId = await register(failing, 'PK', ['readmission-request.submitted']);
      failing.answers = [500, 502, 503];
      const caseId = await api.requested(agreementId);
      await failing.waitFor(3);

      let dead: { deliveryId: string; webhookId: string; attempts: number; lastStatus: number; caseId: string }[] = [];
      await eventually(async () => {
        dead = (await t.call('GET', '/v1/webhooks/dead-letters', api.tk.admin)).json().items;
        return dead.length === 1;
      });
      expect(dead[0]).toMatchObject({
        webhookId,
        caseId,
        attempts: 3,
        lastStatus: 503,
        kind: 'readmission-request.submitted',
      });
      const ids = new Set(failing.received.map((r) => r.headers['webhook-id']));
      expect(ids).toEqual(new Set([dead[0]!.deliveryId]));
      // Exponential backoff: 20 ms before the second attempt, 40 ms before the third (at least).
      const [a, b, c] = failing.received.map((r) => r.at) as [number, number, number];
      expect(b - a).toBeGreaterThanOrEqual(18);
      expect(c - b).toBeGreaterThanOrEqual(38);

      const replay = await t.call('POST', `/v1/webhooks/dead-letters/${dead[0]!.deliveryId}/replay`, api.tk.admin);
      expect(replay.statusCode, replay.body).toBe(200);
      expect(replay.json()).toEqual({ replayed: 1 });
      const received = await failing.waitFor(4);
      expect(received[3]!.headers['webhook-id']).toBe(dead[0]!.deliveryId);
      expect(() =>
        new Webhook(secrets.get(failing)!).verify(received[3]!.body, received[3]!.headers as Record<string, string>),
      ).not.toThrow();
      await eventually(() => t.services.webhooks.dispatcher.delivery(dead[0]!.deliveryId)?.status === 'delivered');
      expect((await t.call('GET', '/v1/webhooks/dead-letters', api.tk.admin)).json().items).toEqual([]);

      // Replay all: two more failures of three attempts each, replayed together.
      failing.answers = [500, 500, 500, 500, 500, 500];
      await api.requested(agreementId);
      await api.requested(agreementId);
      await eventually(
        async () => (await t.call('GET', '/v1/webhooks/dead-letters', api.tk.admin)).json().items.length === 2,
      );
      const all = await t.call('POST', '/v1/webhooks/dead-letters/replay', api.tk.admin);
      expect(all.json()).toEqual({ replayed: 2 });
      await failing.waitFor(12);
      await eventually(
        async () => (await t.call('GET', '/v1/webhooks/dead-letters', api.tk.admin)).json().items.length === 0,
      );
    } finally {
      await failing.stop();
    }
  });

  it('stops sending to a deleted endpoint', async () => {
    const gone = await new Receiver().start();
    try {
      const webhookId = await register(gone, 'PK', ['readmission-request.submitted']);
      await api.requested(agreementId);
      await gone.waitFor(1);
      expect((await t.call('DELETE', `/v1/webhooks/${webhookId}`, api.tk.admin)).statusCode).toBe(204);
      await api.requested(agreementId);
      const position = await t.services.store.headPosition();
      await eventually(() => t.services.webhooks.dispatcher.position() >= position);
      await new Promise((r) => setTimeout(r, 100));
      expect(gone.received).toHaveLength(1);
    } finally {
      await gone.stop();
    }
  });
});
