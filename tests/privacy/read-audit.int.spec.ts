import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { runPrivacyScenario } from './privacy-scenario.ts';

describe('read audit', () => {
  let t: TestApp;
  let scenario: Awaited<ReturnType<typeof runPrivacyScenario>>;
  beforeAll(async () => {
    t = await startTestApp();
    scenario = await runPrivacyScenario(t);
  });
  afterAll(() => t.close());

  it('records every read by a liaison or a monitor (who, when, which case, which view), not by caseworkers', async () => {
    const { caseId, tokens } = scenario;
    t.clock.set('2026-11-03T10:00:00Z');
    await t.call('GET', `/v1/cases/${caseId}`, tokens.monitor);
    await t.call('GET', `/v1/cases/${caseId}/history`, tokens.monitor);
    await t.call('GET', `/v1/cases/${caseId}`, tokens.cw);
    const res = await t.call('GET', `/v1/audit/reads?caseId=${caseId}`, tokens.admin);
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((i: { reader: { sub: string }; view: string }) => [i.reader.sub, i.view])).toEqual([
      ['liaison-pk-1', 'case'],
      ['monitor-1', 'case'],
      ['monitor-1', 'history'],
    ]);
    expect(items[1]).toMatchObject({ caseId, readAt: '2026-11-03T10:00:00.000Z', reader: { role: 'monitor' } });
    expect(items[0].reader).toMatchObject({ role: 'liaison', state: 'PK' });
  });

  it('does not move the case: reads leave its revision alone', async () => {
    const { caseId, tokens } = scenario;
    const before = await t.call('GET', `/v1/cases/${caseId}`, tokens.cw);
    await t.call('GET', `/v1/cases/${caseId}`, tokens.liaison);
    const after = await t.call('GET', `/v1/cases/${caseId}`, tokens.cw);
    expect(after.headers.etag).toBe(before.headers.etag);
  });

  it('pages through all reads with a cursor, and is for admins only', async () => {
    const { tokens } = scenario;
    const first = (await t.call('GET', '/v1/audit/reads?limit=2', tokens.admin)).json();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await t.call('GET', `/v1/audit/reads?limit=2&cursor=${first.nextCursor}`, tokens.admin)).json();
    expect(second.items[0].position).toBeGreaterThan(first.items[1].position);
    for (const token of [tokens.cw, tokens.liaison, tokens.monitor]) {
      expect((await t.call('GET', '/v1/audit/reads', token)).statusCode).toBe(403);
    }
  });
});
