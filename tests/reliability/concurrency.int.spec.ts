/**
 * Concurrency: optimistic concurrency on one case stream, through the HTTP API (inject).
 *
 * Protection: `CaseCommands.append` (services/commands/case-commands.ts) appends with the
 * revision the command was decided on (`expected = loaded.revision`), never blind; a
 * conflict is a 412 under `If-Match`, else the command is decided again on the new state.
 * Remove it (append with `'any'`) → "same If-Match" fails: both replicas answer 200.
 * Also pinned: commands on one case take turns in one process (`KeyedLock`); remove the
 * `turns.run` wrapper in `execute` → "one replica" fails (conflicts, then 503s).
 *
 * better-sqlite3 is synchronous, so in one process a load and its append would never
 * interleave and no conflict could ever happen. The store here takes a few milliseconds per
 * read and append, as EventStoreDB over a network does, and two app instances ("replicas",
 * each with its own store connection and case cache) share one SQLite file, so clients
 * really race; the specs check that they did (conflicts counted in the metrics).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.ts';
import { Metrics } from '../../services/api/plugins/metrics.ts';
import { signToken } from '../../services/auth/tokens.ts';
import { loadConfig } from '../../services/config.ts';
import { createServices, type Services } from '../../services/container.ts';
import { openEventStore } from '../../services/event-store/open-store.ts';
import type { EventStore } from '../../services/event-store/port.ts';
import { body } from '../support/api-flow.ts';
import { familyCaseBody } from '../support/http-fixtures.ts';
import { TEST_SECRET } from '../support/test-app.ts';

const CLIENTS = 20;
const SEED = Number(process.env.RRC_CONCURRENCY_SEED ?? 20261102);

/** A small seeded generator, so an interleaving can be rerun. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The store with a network-like pause before each append and after each read. */
function withLatency(store: EventStore, maxMs: number, seed: number): EventStore {
  const random = mulberry32(seed);
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, Math.floor(random() * maxMs)));
  return {
    kind: store.kind,
    async append(streamId, events, expected) {
      await pause();
      return store.append(streamId, events, expected);
    },
    async readStream(streamId, fromRevision) {
      const read = await store.readStream(streamId, fromRevision);
      await pause();
      return read;
    },
    readAll: (options) => store.readAll(options),
    headPosition: () => store.headPosition(),
    subscribe: (options) => store.subscribe(options),
    chainLinks: (options) => store.chainLinks(options),
    close: () => store.close(),
  };
}

interface Replica {
  app: FastifyInstance;
  services: Services;
  metrics: Metrics;
}

async function startReplica(dataDir: string, seed: number): Promise<Replica> {
  const config = loadConfig({ RRC_DATA_DIR: dataDir, RRC_AUTH_SECRET: TEST_SECRET, RRC_RATE_LIMIT: '100000' });
  const metrics = new Metrics(false);
  const store = withLatency(await openEventStore({ dataDir }), 4, seed);
  const services = await createServices(config, { store, metrics });
  const app = await buildApp({ services, logger: false, metrics });
  await app.ready();
  return { app, services, metrics };
}

async function conflicts(replicas: readonly Replica[]): Promise<number> {
  let n = 0;
  for (const r of replicas) {
    const counter = await r.metrics.commands.get();
    n += counter.values.filter((v) => v.labels.outcome === 'conflict').reduce((sum, v) => sum + v.value, 0);
  }
  return n;
}

describe('concurrent commands on one case', () => {
  let dataDir: string;
  let a: Replica;
  let b: Replica;
  let cw: string;
  let monitor: string;

  const post = (r: Replica, token: string, url: string, payload: unknown, headers: Record<string, string> = {}) =>
    r.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, ...headers },
      payload: payload as object,
    });
  const get = (r: Replica, url: string) =>
    r.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${cw}` } });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'rrc-concurrency-'));
    a = await startReplica(dataDir, SEED);
    b = await startReplica(dataDir, SEED + 1);
    const secret = new TextEncoder().encode(TEST_SECRET);
    cw = await signToken(secret, { sub: 'carla-cw-de', roles: ['caseworker'], state: 'DE', ttlSeconds: 3600 });
    monitor = await signToken(secret, { sub: 'mona-monitor', roles: ['monitor'], ttlSeconds: 3600 });
    console.log(`concurrency seed ${SEED} (RRC_CONCURRENCY_SEED to rerun)`);
  });
  afterAll(async () => {
    for (const r of [a, b]) {
      await r?.app.close();
      await r?.services.close();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const openCase = async (): Promise<string> => {
    const res = await post(a, cw, '/v1/cases', familyCaseBody());
    expect(res.statusCode, res.body).toBe(201);
    return res.json().caseId as string;
  };

  /** `n` different commands: obstacles with distinct notes, and monitor observations. */
  const differentCommands = (caseId: string, n: number, replicaFor: (i: number) => Replica) =>
    Array.from({ length: n }, (_, i) =>
      i % 4 === 3
        ? post(
            replicaFor(i),
            monitor,
            `/v1/cases/${caseId}/record-monitoring-observation`,
            body('record-monitoring-observation', { text: `observation ${i}` }),
          )
        : post(
            replicaFor(i),
            cw,
            `/v1/cases/${caseId}/record-obstacle`,
            body('record-obstacle', { note: `obstacle note ${i}` }),
          ),
    );

  /** Every answer is in the history at its revision, revisions count 0, 1, 2, … and every note is there. */
  async function expectNoLostUpdate(caseId: string, answers: LightMyRequestResponse[]) {
    for (const res of answers) expect(res.statusCode, res.body).toBe(200);
    const revisions = answers.map((res) => res.json().revision as number).sort((x, y) => x - y);
    expect(revisions, 'each command its own revision').toEqual(answers.map((_, i) => i + 1));
    const history = (await get(b, `/v1/cases/${caseId}/history?limit=500`)).json().items as {
      type: string;
      revision: number;
    }[];
    expect(history.map((h) => h.revision)).toEqual(history.map((_, i) => i));
    expect(history).toHaveLength(answers.length + 1);
    for (const res of answers) {
      const { revision, events } = res.json<{ revision: number; events: string[] }>();
      expect(history[revision]?.type).toBe(events[events.length - 1]);
    }
    const observations = answers.filter((_, i) => i % 4 === 3).length;
    expect(history.filter((h) => h.type === 'MonitoringObservationRecorded')).toHaveLength(observations);
    const view = (await get(a, `/v1/cases/${caseId}`)).json<{
      openObstacles: { obstacleId: string; note?: string }[];
    }>();
    const notes = view.openObstacles.map((o) => o.note).sort();
    const expected = answers.flatMap((_, i) => (i % 4 === 3 ? [] : [`obstacle note ${i}`])).sort();
    expect(notes, 'every obstacle recorded once, none overwritten').toEqual(expected);
    expect(new Set(view.openObstacles.map((o) => o.obstacleId)).size, 'obstacle ids are unique').toBe(expected.length);
  }

  it(`${CLIENTS} clients on two replicas with the same If-Match: exactly one 200, the rest 412`, async () => {
    const caseId = await openCase();
    const before = await conflicts([a, b]);
    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        post(i % 2 ? b : a, cw, `/v1/cases/${caseId}/record-obstacle`, body('record-obstacle'), { 'if-match': '"0"' }),
      ),
    );
    const codes = answers.map((res) => res.statusCode);
    expect(
      codes.filter((c) => c === 200),
      codes.join(','),
    ).toHaveLength(1);
    expect(
      codes.filter((c) => c === 412),
      codes.join(','),
    ).toHaveLength(CLIENTS - 1);
    for (const res of answers.filter((x) => x.statusCode === 412)) {
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 412 });
      expect(res.headers.etag).toBe('"1"');
    }
    expect(await conflicts([a, b]), 'the replicas raced to the store at least once').toBeGreaterThan(before);
    const history = (await get(a, `/v1/cases/${caseId}/history`)).json();
    expect(history.items.map((i: { type: string }) => i.type)).toEqual(['CaseOpened', 'ObstacleRecorded']);
  });

  it(`${CLIENTS} different commands on one replica without If-Match: all 200, in turn, none lost`, async () => {
    const caseId = await openCase();
    const before = await conflicts([a]);
    const answers = await Promise.all(differentCommands(caseId, CLIENTS, () => a));
    await expectNoLostUpdate(caseId, answers);
    expect(await conflicts([a]), 'commands on one case take turns in one process').toBe(before);
  });

  it(`${CLIENTS} different commands on two replicas without If-Match: all 200 after retries, none lost`, async () => {
    const caseId = await openCase();
    const before = await conflicts([a, b]);
    const answers = await Promise.all(differentCommands(caseId, CLIENTS, (i) => (i % 2 ? b : a)));
    const raced = (await conflicts([a, b])) - before;
    await expectNoLostUpdate(caseId, answers);
    expect(raced, 'the replicas did not race: the spec would prove nothing').toBeGreaterThan(0);
    console.log(`${CLIENTS} commands on two replicas landed after ${raced} conflicts and retries`);
  });
});
