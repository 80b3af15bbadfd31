/**
 * Protection: `CaseRepository.load` (services/commands/case-repository.ts) serves a cached case
 * without reading the store only while `othersWrites()` (SQLite's `data_version`) has not
 * changed since the case was last read, so what another connection (a replica, `rrc erase`)
 * wrote is never hidden by the cache. Compare with anything but that token (serve every
 * cached case as is) → "sees what another replica wrote" and "an erasure elsewhere" fail.
 * Here two sets of services share one data dir, each with its own store connection and cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../services/config.ts';
import { createServices, type Services } from '../../services/container.ts';
import type { Principal } from '../../domain/index.ts';
import { openCaseBody } from '../support/case-builders.ts';
import { TEST_SECRET } from '../support/test-app.ts';

const caseworker: Principal = { sub: 'carla-cw-de', roles: ['caseworker'], state: 'DE' };
const admin: Principal = { sub: 'ada-admin', roles: ['admin'] };
const obstacle = { type: 'no-transport', openedOn: '2026-11-02', note: 'No scheduled seats this month.' } as const;

describe('the case cache and writes by others', () => {
  let dataDir: string;
  let a: Services;
  let b: Services;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'rrc-case-cache-'));
    const config = loadConfig({ RRC_DATA_DIR: dataDir, RRC_AUTH_SECRET: TEST_SECRET, RRC_DEADLINES: 'off' });
    a = await createServices(config);
    b = await createServices(config);
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const readsOf = (s: Services) => vi.spyOn(s.store, 'readStream');

  it('serves its own writes without reading while no one else wrote', async () => {
    const { caseId } = await a.commands.open(caseworker, openCaseBody());
    await a.repository.load(caseId); // read once: the open is not cached yet
    await a.commands.execute(caseworker, caseId, { action: 'record-obstacle', body: obstacle });
    const reads = readsOf(a);
    const loaded = await a.repository.load(caseId);
    expect(reads).not.toHaveBeenCalled();
    expect(loaded.state.data?.obstacles).toHaveLength(1);
    reads.mockRestore();
  });

  it('sees what another replica wrote to a case it has cached', async () => {
    const { caseId } = await a.commands.open(caseworker, openCaseBody());
    expect((await a.repository.load(caseId)).state.data?.obstacles).toHaveLength(0);
    await b.commands.execute(caseworker, caseId, { action: 'record-obstacle', body: obstacle });
    const reads = readsOf(a);
    const loaded = await a.repository.load(caseId);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(loaded.state.data?.obstacles).toHaveLength(1);
    expect(loaded.revision).toBe((await b.repository.load(caseId)).revision);
    reads.mockRestore();
  });

  it('a write elsewhere to another case costs a cached case one read, then none', async () => {
    const { caseId } = await a.commands.open(caseworker, openCaseBody());
    const other = await b.commands.open(caseworker, openCaseBody());
    await a.repository.load(caseId);
    await b.commands.execute(caseworker, other.caseId, { action: 'record-obstacle', body: obstacle });
    const reads = readsOf(a);
    await a.repository.load(caseId);
    await a.repository.load(caseId);
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
  });

  it('an erasure elsewhere takes the personal data out of the cached case', async () => {
    const { caseId } = await a.commands.open(caseworker, openCaseBody());
    expect((await a.repository.load(caseId)).state.data?.person?.familyName).toBeTruthy();
    await b.commands.execute(admin, caseId, {
      action: 'erase-personal-data',
      body: { reasons: 'The retention period ended.' },
    });
    const loaded = await a.repository.load(caseId);
    expect(loaded.state.data?.personalDataErased).toBe(true);
    expect(loaded.state.data?.person).toBeUndefined();
  });
});
