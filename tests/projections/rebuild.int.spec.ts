import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModelDb, ProjectionRunner, type Db, type ReadModel } from '../../projections/index.ts';
import { seedDemo, type SeedResult } from '../../services/demo/seed.ts';
import type { StoredEvent } from '../../services/event-store/port.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Read models built incrementally (following the log while the synthetic generator writes it,
 * batch by batch) hold exactly the rows that a rebuild from position 0 gives: every table
 * dumped in key order, compared byte for byte.
 */
function dump(db: Db, models: readonly ReadModel[]): string {
  const out: Record<string, unknown[]> = {};
  for (const model of models) {
    for (const table of model.tables) {
      const keys = (
        db.prepare(`SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`).all(table) as { name: string }[]
      ).map((c) => c.name);
      out[table] = db
        .prepare(`SELECT * FROM ${table} ORDER BY ${keys.join(', ')}`)
        .raw()
        .all();
    }
  }
  out.checkpoints = db.prepare(`SELECT * FROM checkpoints ORDER BY projection`).raw().all();
  return JSON.stringify(out);
}

describe('rebuilding read models', () => {
  let t: TestApp;
  let seeded: SeedResult;
  let incremental = '';

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-01-05T00:00:00Z' });
    seeded = await seedDemo(t.services, t.clock, {
      cases: 150,
      seed: 7,
      start: '2026-01-05',
      openingDays: 20,
      tailDays: 40,
    });
    expect(await t.services.projections.waitForHead(20_000)).toBe(true);
    incremental = dump(t.services.projections.db, t.services.projections.models);
  });
  afterAll(() => t.close());

  it('the synthetic lifecycles went through the real command path without a refusal', () => {
    expect(seeded.failureSamples).toEqual([]);
    expect(seeded.failures).toBe(0);
    expect(Object.keys(seeded.outcomes).length).toBeGreaterThanOrEqual(4);
    const rows = (table: string) =>
      (t.services.projections.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(rows('rm_cases')).toBe(150);
    expect(rows('rm_requests')).toBeGreaterThan(100);
    expect(rows('rm_obstacles')).toBeGreaterThan(10);
    expect(rows('rm_removals')).toBeGreaterThan(30);
  });

  it('a rebuild from zero in a fresh file gives byte-identical rows', async () => {
    const fresh = new ProjectionRunner<StoredEvent>({
      db: openReadModelDb(path.join(t.dataDir, 'fresh-read-models.sqlite')),
      models: t.services.projections.models,
      log: t.services.store,
      decode: (s) => t.services.codec.decode(s),
      batchSize: 333, // other batch boundaries than the incremental build's
    });
    try {
      await fresh.catchUp();
      expect(dump(fresh.db, t.services.projections.models)).toBe(incremental);
    } finally {
      await fresh.close();
    }
  });

  it('after crypto-shredding, the read models hold what a rebuild from the shredded log gives', async () => {
    const db = t.services.projections.db;
    // Cases whose departures took children along (ages derived from dates of birth), and others.
    const withChildren = (
      db.prepare(`SELECT DISTINCT case_id FROM rm_removals WHERE minors <> '[]' ORDER BY case_id LIMIT 3`).all() as {
        case_id: string;
      }[]
    ).map((r) => r.case_id);
    expect(withChildren.length).toBeGreaterThan(0);
    const others = (
      db.prepare(`SELECT case_id FROM rm_cases ORDER BY case_id LIMIT 5`).all() as { case_id: string }[]
    ).map((r) => r.case_id);
    const admin = { sub: 'spec-admin', roles: ['admin' as const] };
    let position = 0;
    for (const caseId of new Set([...withChildren, ...others])) {
      ({ position } = await t.services.commands.execute(admin, caseId, {
        action: 'erase-personal-data',
        body: { reasons: 'End of the retention period (spec).' },
      }));
    }
    expect(await t.services.projections.waitFor(position, 10_000)).toBe(true);
    const erased = dump(db, t.services.projections.models);
    expect(erased).not.toBe(incremental);
    const fresh = new ProjectionRunner<StoredEvent>({
      db: openReadModelDb(path.join(t.dataDir, 'after-erasure.sqlite')),
      models: t.services.projections.models,
      log: t.services.store,
      decode: (s) => t.services.codec.decode(s),
    });
    try {
      await fresh.catchUp();
      expect(dump(fresh.db, t.services.projections.models)).toBe(erased);
    } finally {
      await fresh.close();
    }
    incremental = erased;
  });

  it('rebuilding every model in place, or one of them, gives the same rows again', async () => {
    const runner = t.services.projections;
    let progressed = 0;
    await runner.rebuild(undefined, (p) => {
      progressed = p.events;
    });
    expect(progressed).toBeGreaterThan(1000);
    expect(dump(runner.db, t.services.projections.models)).toBe(incremental);
    await runner.rebuild('removals');
    expect(dump(runner.db, t.services.projections.models)).toBe(incremental);
    expect(runner.status().following).toBe(true); // it follows the log again afterwards
  });
});
