import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../domain/index.ts';
import { loadConfig } from '../../services/config.ts';
import { createServices } from '../../services/container.ts';
import { caseReferenceStream, type EventStore } from '../../services/event-store/port.ts';
import { Api } from '../support/api-flow.ts';
import { openCaseBody } from '../support/case-builders.ts';
import { familyCaseBody } from '../support/http-fixtures.ts';
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

describe('case references when other openings always win the number', () => {
  /**
   * A rival writer (another replica, in life) takes each number just before this one tries to:
   * every try conflicts, for real, on the SQLite store, until the rival stops.
   */
  let rivalTakes = true;
  const rival = (store: EventStore): EventStore =>
    new Proxy(store, {
      get(target, name) {
        if (name !== 'append') {
          // Bound to the store itself: its private fields are not the proxy's.
          const value = Reflect.get(target, name) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        }
        const append: EventStore['append'] = async (stream, events, expected) => {
          if (rivalTakes && stream === caseReferenceStream('DE', 2026)) {
            const head = (await target.readStream(stream)).length;
            await target.append(
              stream,
              [
                {
                  id: crypto.randomUUID(),
                  type: 'CaseReferenceGiven',
                  data: { caseId: 'rival', reference: `rival-${head}` },
                  metadata: {},
                },
              ],
              head === 0 ? 'no-stream' : head - 1,
            );
          }
          return target.append(stream, events, expected);
        };
        return append;
      },
    });
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-02T09:00:00Z', wrapStore: rival });
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After and records nothing, and the same request later opens the case', async () => {
    const token = await t.token('caseworker', { sub: 'carla-cw-de' });
    const headers = { 'idempotency-key': 'open-under-a-burst' };
    const busy = await t.call('POST', '/v1/cases', token, familyCaseBody(), headers);
    expect(busy.statusCode, busy.body).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
    expect(busy.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(busy.json()).toMatchObject({ status: 503, detail: expect.stringContaining('DE') });
    expect(busy.body).not.toMatch(/ConcurrencyError|at .*\.ts:\d+/);
    const opened = (await t.services.store.readAll()).filter((e) => e.type === 'CaseOpened');
    expect(opened).toEqual([]);

    rivalTakes = false;
    const retried = await t.call('POST', '/v1/cases', token, familyCaseBody(), headers);
    expect(retried.statusCode, retried.body).toBe(201);
    const taken = (await t.services.store.readStream(caseReferenceStream('DE', 2026))).length;
    const view = await t.call('GET', `/v1/cases/${retried.json().caseId}`, token);
    expect(view.json().reference).toBe(`DE-2026-${String(taken).padStart(6, '0')}`);
  }, 20_000);
});

describe('case references on one replica', () => {
  it('queues the openings of a State for their numbers: a burst of 24 meets no conflict', async () => {
    let conflicts = 0;
    const counting = (store: EventStore): EventStore =>
      new Proxy(store, {
        get(target, name) {
          const value = Reflect.get(target, name) as unknown;
          if (typeof value !== 'function') return value;
          if (name !== 'append') return (value as (...a: unknown[]) => unknown).bind(target);
          const append: EventStore['append'] = (stream, events, expected) =>
            target.append(stream, events, expected).catch((e: unknown) => {
              if (stream === caseReferenceStream('DE', 2026)) conflicts += 1;
              throw e;
            });
          return append;
        },
      });
    const t = await startTestApp({ now: '2026-11-02T09:00:00Z', wrapStore: counting });
    try {
      const token = await t.token('caseworker');
      const answers = await Promise.all(
        Array.from({ length: 24 }, () => t.call('POST', '/v1/cases', token, familyCaseBody())),
      );
      expect(answers.map((a) => a.statusCode)).toEqual(Array(24).fill(201));
      expect(conflicts).toBe(0);
      expect((await t.services.store.readStream(caseReferenceStream('DE', 2026))).length).toBe(24);
    } finally {
      await t.close();
    }
  }, 20_000);
});
