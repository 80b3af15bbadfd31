import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../domain/index.ts';
import { loadConfig } from '../../services/config.ts';
import { createServices } from '../../services/container.ts';
import { Api } from '../support/api-flow.ts';
import { openCaseBody } from '../support/case-builders.ts';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/test-app.ts';

/** Human case references: per destination State and year, shown wherever a case id is. */
describe('case references', () => {
  let t: TestApp;
  let api: Api;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-02T09:00:00Z' });
    api = await Api.start(t);
  });
  afterAll(() => t.close());

  it('numbers the cases of each destination State and year from 1, in the view, worklist and inbox', async () => {
    const agreementId = await api.agreement();
    const first = await api.requested(agreementId);
    const second = await api.open();
    const french = await api.open({}, api.tk.cwFR);
    expect((await api.view(first)).reference).toBe('DE-2026-000001');
    expect((await api.view(second)).reference).toBe('DE-2026-000002');
    expect((await api.view(french, api.tk.cwFR)).reference).toBe('FR-2026-000001');
    expect((await api.view(first, api.tk.liaison)).reference).toBe('DE-2026-000001');

    await t.services.projections.waitFor(await t.services.store.headPosition(), 5000);
    const worklist = (await t.call('GET', '/v1/cases', api.tk.cw)).json().items;
    expect(worklist.map((i: { reference: string }) => i.reference).sort()).toEqual([
      'DE-2026-000001',
      'DE-2026-000002',
    ]);
    const inbox = (await t.call('GET', '/v1/liaison/requests?status=all', api.tk.liaison)).json().items;
    expect(inbox).toEqual([expect.objectContaining({ caseId: first, reference: 'DE-2026-000001' })]);

    t.clock.set('2027-01-04T09:00:00Z');
    expect((await api.view(await api.open())).reference).toBe('DE-2027-000001');
  });
});

describe('case references across replicas', () => {
  it('never gives one number twice when two replicas open cases at once', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rrc-references-'));
    const config = loadConfig({ RRC_DATA_DIR: dataDir, RRC_AUTH_SECRET: TEST_SECRET, RRC_DEADLINES: 'off' });
    const clock = () => new Date('2026-11-02T09:00:00Z');
    const a = await createServices(config, { clock });
    const b = await createServices(config, { clock });
    const caseworker: Principal = { sub: 'carla-cw-de', roles: ['caseworker'], state: 'DE' };
    try {
      const opened = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).commands.open(caseworker, openCaseBody())),
      );
      const references = await Promise.all(
        opened.map(async ({ caseId }) => (await a.repository.load(caseId)).state.data?.reference),
      );
      expect(new Set(references).size).toBe(12);
      expect([...references].sort()).toEqual(
        Array.from({ length: 12 }, (_, i) => `DE-2026-${String(i + 1).padStart(6, '0')}`),
      );
    } finally {
      await a.close();
      await b.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
