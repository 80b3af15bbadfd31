/**
 * Messages about a readmission request between the destination State's caseworkers and the
 * origin State's liaison: the thread (oldest first), who may read and write it, unread counts in
 * the worklist and the inbox, and what never happens (the case's revision moving, text in logs).
 *
 * Protection: `threadPostAccess`/`threadReadAccess` (domain/messages.ts), the thread's own stream
 * (services/messages/message-threads.ts), the `messages` read model and its joins in `worklist`
 * and `inbox`. Post to the case stream instead → the If-Match spec fails with 412; drop the read
 * marker → the unread counts never fall back to 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageThreads } from '../../services/messages/message-threads.ts';
import { Api, expectProblem } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const TEXT = 'Vesperline Otterwick: please confirm the interview slot';
const REPLY = 'Interview slot confirmed for Tuesday, consulate room 4';

let t: TestApp;
let api: Api;
let agreementId: string;
const thread = (caseId: string, requestId = 'q1') => `/v1/cases/${caseId}/readmission-requests/${requestId}/messages`;

beforeAll(async () => {
  t = await startTestApp({ captureLogs: true });
  api = await Api.start(t);
  agreementId = await api.agreement();
});
afterAll(() => t.close());

async function send(token: string, caseId: string, text: string, requestId = 'q1') {
  const res = await t.call('POST', thread(caseId, requestId), token, { text });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ messageId: string; position: number; sentAt: string }>();
}

async function readThread(token: string, caseId: string, requestId = 'q1') {
  const res = await t.call('GET', thread(caseId, requestId), token);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: { messageId: string; from: { role: string; state: string }; text: string | null }[] }>();
}

async function worklistUnread(caseId: string, position: number): Promise<number> {
  const res = await t.call('GET', `/v1/cases?minPosition=${position}&limit=500`, api.tk.cw);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.find((i: { caseId: string }) => i.caseId === caseId).unreadMessages;
}

async function inboxUnread(caseId: string, position: number): Promise<number> {
  const res = await t.call('GET', `/v1/liaison/requests?status=all&minPosition=${position}&limit=500`, api.tk.liaison);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.find((i: { caseId: string }) => i.caseId === caseId).unreadMessages;
}

describe('a thread between the two authorities', () => {
  it('carries a message each way, oldest first, with unread counts per side', async () => {
    const caseId = await api.requested(agreementId);
    const sent = await t.call('POST', thread(caseId), api.tk.cw, { text: TEXT });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.headers.location).toBe(thread(caseId));
    const first = sent.json();
    expect(first).toMatchObject({
      caseId,
      requestId: 'q1',
      messageId: 'msg1',
      from: { role: 'caseworker', state: 'DE' },
      sentAt: '2026-11-02T09:00:00.000Z',
      text: TEXT,
    });

    // The liaison has one unread message; the caseworker's own message is never unread for it.
    expect(await inboxUnread(caseId, first.position)).toBe(1);
    expect(await worklistUnread(caseId, first.position)).toBe(0);

    const seen = await readThread(api.tk.liaison, caseId);
    expect(seen.items).toEqual([
      { messageId: 'msg1', from: { role: 'caseworker', state: 'DE' }, sentAt: first.sentAt, text: TEXT },
    ]);
    t.clock.advanceHours(2);
    const reply = await send(api.tk.liaison, caseId, REPLY);
    expect(await inboxUnread(caseId, reply.position)).toBe(0);
    expect(await worklistUnread(caseId, reply.position)).toBe(1);

    const both = await readThread(api.tk.cw, caseId);
    expect(both.items.map((m) => [m.messageId, m.from.role, m.from.state, m.text])).toEqual([
      ['msg1', 'caseworker', 'DE', TEXT],
      ['msg2', 'liaison', 'PK', REPLY],
    ]);
    const head = await t.services.store.headPosition();
    expect(await worklistUnread(caseId, head)).toBe(0);
    // Reading again with nothing new appends no second marker.
    await readThread(api.tk.cw, caseId);
    expect(await t.services.store.headPosition()).toBe(head);
  });

  it('never moves the case’s revision: a caseworker’s If-Match command still lands after the liaison wrote', async () => {
    const caseId = await api.requested(agreementId);
    const before = await t.call('GET', `/v1/cases/${caseId}`, api.tk.cw);
    const etag = before.headers.etag as string;
    await send(api.tk.liaison, caseId, 'We need the passport copy again');
    await readThread(api.tk.cw, caseId);
    const res = await api.post(api.tk.cw, caseId, 'record-obstacle', undefined, { 'if-match': etag });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('lets monitors read every thread without marking it read, and records their reads and the liaison’s', async () => {
    const caseId = await api.requested(agreementId);
    const { position } = await send(api.tk.liaison, caseId, 'Acknowledged; checking our registers');
    expect((await readThread(api.tk.monitor, caseId)).items).toHaveLength(1);
    expect(await worklistUnread(caseId, position)).toBe(1);
    await readThread(api.tk.liaison, caseId);
    const audit = await t.call('GET', `/v1/audit/reads?caseId=${caseId}`, api.tk.admin);
    const reads = audit.json().items.map((r: { view: string; reader: { role: string } }) => [r.view, r.reader.role]);
    expect(reads).toEqual([
      ['messages', 'monitor'],
      ['messages', 'liaison'],
    ]);
  });

  it('keeps threads of the same case apart per request id, and the worklist sums them', async () => {
    const caseId = await api.requested(agreementId);
    await api.do(api.tk.liaison, caseId, 'reject-readmission');
    await api.do(api.tk.cw, caseId, 'submit-readmission-request', { agreementId });
    await send(api.tk.liaison, caseId, 'About the first request', 'q1');
    const { position } = await send(api.tk.liaison, caseId, 'About the second request', 'q2');
    expect((await readThread(api.tk.monitor, caseId, 'q2')).items.map((m) => m.text)).toEqual([
      'About the second request',
    ]);
    expect(await worklistUnread(caseId, position)).toBe(2);
    await readThread(api.tk.cw, caseId, 'q1');
    expect(await worklistUnread(caseId, await t.services.store.headPosition())).toBe(1);
  });
});

describe('posting safely', () => {
  it('answers a repeat with the same Idempotency-Key and body from the first post; another body is a 422', async () => {
    const caseId = await api.requested(agreementId);
    const headers = { 'idempotency-key': 'msg-key-1' };
    const first = await t.call('POST', thread(caseId), api.tk.cw, { text: 'Once only' }, headers);
    expect(first.statusCode, first.body).toBe(201);
    const again = await t.call('POST', thread(caseId), api.tk.cw, { text: 'Once only' }, headers);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toEqual(first.json());
    expectProblem(await t.call('POST', thread(caseId), api.tk.cw, { text: 'Twice?' }, headers), 422);
    // The key is the caller's own: the liaison using the same key posts its own message.
    const liaison = await t.call('POST', thread(caseId), api.tk.liaison, { text: 'Once only' }, headers);
    expect(liaison.json().messageId).toBe('msg2');
    expect((await readThread(api.tk.cw, caseId)).items.map((m) => m.text)).toEqual(['Once only', 'Once only']);
  });

  it('lands every one of many concurrent posts from both sides, each with its own id', async () => {
    const caseId = await api.requested(agreementId);
    const revision = (await api.view(caseId)).revision;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => send(i % 2 ? api.tk.liaison : api.tk.cw, caseId, `Message ${i}`)),
    );
    expect(new Set(answers.map((a) => a.messageId)).size).toBe(12);
    const items = (await readThread(api.tk.monitor, caseId)).items;
    expect(items.map((m) => m.messageId)).toEqual(Array.from({ length: 12 }, (_, i) => `msg${i + 1}`));
    expect((await api.view(caseId)).revision).toBe(revision);
  });

  it('decides again when another replica wrote to the thread in between (a conflict, not a lost message)', async () => {
    const caseId = await api.requested(agreementId);
    const s = t.services;
    // A second service over the same store: its own in-process lock, as another replica would have.
    const replica = new MessageThreads(s.store, s.repository, s.codec, s.readAudit, t.clock.now);
    const principal = { sub: 'carla-cw-de', roles: ['caseworker'] as const, state: 'DE' };
    const posts = Array.from({ length: 8 }, (_, i) =>
      (i % 2 ? replica : s.messages).post({ ...principal, roles: [...principal.roles] }, caseId, 'q1', `Race ${i}`),
    );
    const answers = await Promise.all(posts);
    expect(new Set(answers.map((a) => a.messageId)).size).toBe(8);
    expect((await readThread(api.tk.cw, caseId)).items.map((m) => m.text).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `Race ${i}`).sort(),
    );
  });
});

describe('who may read and write a thread', () => {
  it('answers 403 and 404 as the case’s reads and actions do', async () => {
    const caseId = await api.requested(agreementId);
    const { tk } = api;
    const post = (token: string, url = thread(caseId)) => t.call('POST', url, token, { text: 'Hello' });
    const get = (token: string, url = thread(caseId)) => t.call('GET', url, token);
    expectProblem(await post(tk.monitor), 403, ['not-permitted']);
    expectProblem(await post(tk.admin), 403, ['not-permitted']);
    expectProblem(await post(tk.analyst), 404);
    expectProblem(await post(tk.cwFR), 404);
    expectProblem(await post(tk.liaisonMA), 404);
    expectProblem(await get(tk.analyst), 403, ['not-permitted']);
    expectProblem(await get(tk.admin), 403, ['not-permitted']);
    expectProblem(await get(tk.cwFR), 404);
    expectProblem(await get(tk.liaisonMA), 404);
    // A request the case never made, a case that does not exist: 404 for everyone.
    expectProblem(await post(tk.cw, thread(caseId, 'q2')), 404);
    expectProblem(await get(tk.liaison, thread(caseId, 'q9')), 404);
    expectProblem(await get(tk.cw, thread(crypto.randomUUID())), 404);
    // Before any request is addressed to PK, the liaison may not know of the case.
    const unrequested = await api.cleared();
    expectProblem(await post(tk.liaison, thread(unrequested)), 404);
    expectProblem(await post(tk.cw, thread(unrequested)), 404);
    expect((await readThread(tk.cw, caseId)).items).toEqual([]);
    // Odd request ids are unknown requests (or bad input), never a 5xx.
    for (const odd of ['q0', 'q1x', 'Q1', 'q99999999999999999999', '..', '%E2%80%AEq1', 'q'.repeat(101)]) {
      const res = await get(tk.cw, thread(caseId, odd));
      expect([400, 404], `${odd}: ${res.statusCode}`).toContain(res.statusCode);
    }
  });

  it('refuses bad input: empty, too long, unknown fields (400); blank text (409); a closed case (409)', async () => {
    const caseId = await api.requested(agreementId);
    expectProblem(await t.call('POST', thread(caseId), api.tk.cw, { text: '' }), 400);
    expectProblem(await t.call('POST', thread(caseId), api.tk.cw, { text: 'x'.repeat(4001) }), 400);
    expectProblem(await t.call('POST', thread(caseId), api.tk.cw, { text: 'hi', urgent: true }), 400);
    expectProblem(await t.call('POST', thread(caseId), api.tk.cw, {}), 400);
    expectProblem(await t.call('POST', thread(caseId), api.tk.cw, { text: ' \n\t ' }), 409, ['reasons-required']);
    expect((await send(api.tk.cw, caseId, 'y'.repeat(4000))).messageId).toBe('msg1');
    await api.do(api.tk.cw, caseId, 'close-case', { outcome: 'withdrawn', reasons: 'Permit granted elsewhere.' });
    expectProblem(await t.call('POST', thread(caseId), api.tk.liaison, { text: 'Late' }), 409, ['case-closed']);
    expect((await readThread(api.tk.liaison, caseId)).items).toHaveLength(1);
  });
});

describe('logs', () => {
  it('carry no message text while posting and reading', async () => {
    const caseId = await api.requested(agreementId);
    const from = t.logs.length;
    await send(api.tk.cw, caseId, TEXT);
    await readThread(api.tk.liaison, caseId);
    await t.call('POST', thread(caseId), api.tk.cw, { text: `${TEXT} ${'z'.repeat(4000)}` }); // a 400
    const lines = t.logs.slice(from);
    expect(lines.length).toBeGreaterThanOrEqual(6); // incoming request and completed, three times
    // Control: these are the lines of the three requests (the route, the statuses).
    expect(lines.join('\n')).toContain('/readmission-requests/:requestId/messages');
    expect(lines.join('\n')).toContain('"statusCode":400');
    expect(lines.join('\n')).not.toContain('Vesperline');
    expect(lines.join('\n')).not.toContain('interview slot');
  });
});
