import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { signToken } from '../services/auth/tokens.ts';
import { loadConfig, type Config } from '../services/config.ts';
import { createServices } from '../services/container.ts';
import { SqliteEventStore } from '../services/event-store/sqlite-store.ts';
import { startServer, type RunningServer } from '../services/server.ts';
import { helloWorld, rawAppend, rawRead } from './baselines.ts';
import { load, type LoadResult } from './load.ts';
import { PhaseProfiler } from './profile.ts';
import { bulkSeed, type BulkSeedResult, type SeededCase } from './seed.ts';
import { renderTable, rows, type Figures } from './table.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MIX = path.join(HERE, 'load', 'command-mix.cjs');
const MIX_RESPONSE = path.join(HERE, 'load', 'command-mix-response.cjs');
const SECRET = 'rrc-benchmark-secret-not-for-production';

const USAGE = `npm run bench [-- --quick] [--cases N] [--connections C] [--seconds S] [--keep]
  --quick         a short run (fewer cases, shorter loads): under 3 minutes
  --cases N       seeded cases (default 100000; --quick 5000)
  --connections C autocannon connections for hello world and the commands (default 32)
  --seconds S     length of each command run (default 30; --quick 10)
  --keep          keep the temp data dir
  --profile DIR   write a CPU profile of the main thread per phase to DIR`;

export interface BenchSettings {
  quick: boolean;
  cases: number;
  templates: number;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  helloSeconds: number;
  appendSeconds: number;
  reportRuns: number;
  /** Every n-th command goes to a cold (seeded, uncached) case. */
  coldEvery: number;
  hotCasesPerConnection: number;
  profileDir: string | undefined;
}

function settings(argv: string[]): BenchSettings | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      cases: { type: 'string' },
      connections: { type: 'string' },
      seconds: { type: 'string' },
      keep: { type: 'boolean', default: false },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const quick = values.quick;
  const cases = Number(values.cases ?? (quick ? 5_000 : 100_000));
  return {
    quick,
    cases,
    templates: Math.min(cases, quick ? 500 : 2_000),
    connections: Number(values.connections ?? 32),
    seconds: Number(values.seconds ?? (quick ? 10 : 30)),
    warmupSeconds: quick ? 4 : 8,
    helloSeconds: quick ? 5 : 10,
    appendSeconds: quick ? 2 : 4,
    reportRuns: quick ? 15 : 30,
    coldEvery: 5,
    hotCasesPerConnection: 8,
    profileDir: values.profile ? path.resolve(values.profile) : undefined,
  };
}

const keepDir = (argv: string[]) => argv.includes('--keep');

/** Peak RSS while serving, sampled every 100 ms. */
class RssSampler {
  peak = 0;
  #timer: NodeJS.Timeout | undefined;
  start(): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), 100);
    this.#timer.unref();
  }
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }
  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const ms = (from: number) => performance.now() - from;

export async function main(argv: string[]): Promise<number> {
  const s = settings(argv);
  if (!s) {
    log(USAGE);
    return 0;
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'rrc-bench-'));
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir);
  log(`rrc benchmark${s.quick ? ' (--quick)' : ''}: ${s.cases} cases, ${s.connections} connections, data in ${dir}`);
  log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const config: Config = loadConfig({
    RRC_DATA_DIR: dataDir,
    RRC_AUTH_SECRET: SECRET,
    RRC_RATE_LIMIT: String(1e9),
    RRC_DEADLINES: 'off',
    RRC_HOST: '127.0.0.1',
    RRC_PORT: '0',
    RRC_LOG_LEVEL: 'warn',
  });
  const profiler = new PhaseProfiler(s.profileDir);
  if (s.profileDir) mkdirSync(s.profileDir, { recursive: true });
  await profiler.start();
  try {
    // --- baselines -------------------------------------------------------------------------
    log('raw SQLite appends …');
    const appendFull = await rawAppend(path.join(dir, 'raw-full.sqlite'), 'FULL', s.appendSeconds);
    const appendNormal = await rawAppend(path.join(dir, 'raw-normal.sqlite'), 'NORMAL', s.appendSeconds);
    log(`  FULL ${appendFull.eventsPerSecond.toFixed(0)} events/s, NORMAL ${appendNormal.eventsPerSecond.toFixed(0)} events/s`);
    log('fastify hello world …');
    const hello = await helloWorld(s.connections, s.helloSeconds);
    log(`  ${hello.rps.toFixed(0)} req/s`);

    // --- seeding ---------------------------------------------------------------------------
    log(`seeding ${s.cases} cases (${s.templates} simulated lifecycles, the rest copies) …`);
    let lastProgress = 0;
    const seeded = await profiler.phase('seed', () => bulkSeed(config, {
      cases: s.cases,
      templates: s.templates,
      onProgress: (done, total) => {
        if (performance.now() - lastProgress > 5000) {
          lastProgress = performance.now();
          log(`  ${done}/${total} cases`);
        }
      },
    }));
    if (seeded.failures > 0) throw new Error(`the generator had ${seeded.failures} refused commands`);
    log(`  ${seeded.cases} cases, ${seeded.events} events: simulated ${(seeded.simulateMs / 1000).toFixed(1)} s, copied ${(seeded.copyMs / 1000).toFixed(1)} s`);

    // --- the log and the read models ------------------------------------------------------
    const offline = await createServices(config);
    let read: Awaited<ReturnType<typeof rawRead>>;
    let rebuild: { events: number; ms: number; eventsPerSecond: number };
    try {
      log('raw log read …');
      await rawRead(offline.store); // once to warm the page cache, as the rebuild will find it
      read = await rawRead(offline.store);
      log(`  ${read.eventsPerSecond.toFixed(0)} events/s`);
      log('projection rebuild …');
      const started = performance.now();
      let events = 0;
      await profiler.phase('rebuild', () =>
        offline.projections.rebuild(undefined, (p) => {
          events = p.events;
        }),
      );
      const took = ms(started);
      rebuild = { events, ms: took, eventsPerSecond: events / (took / 1000) };
      log(`  ${events} events in ${(took / 1000).toFixed(1)} s: ${rebuild.eventsPerSecond.toFixed(0)} events/s`);
    } finally {
      await offline.close();
    }

    // --- the server -------------------------------------------------------------------------
    const rss = new RssSampler();
    const server = await startServer(config, pino({ level: 'warn' }));
    rss.start();
    let report: { p50: number; p95: number; max: number; runs: number };
    let warmup: LoadResult;
    let peak: LoadResult;
    let half: LoadResult;
    const runs: Record<string, RunStats> = {};
    try {
      const tokens = await benchTokens();
      log('obstacles report …');
      report = await profiler.phase('report', () => reportLatency(server, tokens.analyst, s.reportRuns));
      log(`  p50 ${report.p50.toFixed(1)} ms, p95 ${report.p95.toFixed(1)} ms over ${report.runs} requests`);

      const agreements = await agreementIds(server);
      const cold = shuffle(seeded.seeded);
      let coldNext = 0;
      const run = async (name: string, seconds: number, rate?: number, coldShare = 0.45): Promise<LoadResult> => {
        // Each run gets seeded cases no earlier run touched (a run that uses up its share
        // starts over on them, warm by then: the cache hit rate in the JSON shows it).
        const slice = cold.slice(coldNext, coldNext + Math.floor(cold.length * coldShare));
        coldNext += slice.length;
        const planFile = path.join(dir, `plan-${name}.json`);
        writeFileSync(
          planFile,
          JSON.stringify({
            tokens: tokens.plan,
            agreements,
            destinations: ['DE', 'FR', 'NL'],
            origins: Object.keys(agreements),
            cold: slice,
            coldEvery: s.coldEvery,
            connections: s.connections,
            hotCasesPerConnection: s.hotCasesPerConnection,
          }),
        );
        const before = await snapshot(server);
        const delay = monitorEventLoopDelay({ resolution: 2 });
        delay.enable();
        const result = await load({
          url: server.url,
          connections: s.connections,
          seconds,
          ...(rate ? { rate } : {}),
          setupRequest: MIX,
          onResponse: MIX_RESPONSE,
          env: { RRC_BENCH_PLAN: planFile },
        });
        delay.disable();
        runs[name] = {
          ...diff(before, await snapshot(server), result),
          eventLoopDelayMs: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
        };
        return result;
      };
      log(`commands: warm-up ${s.warmupSeconds} s …`);
      warmup = await run('warmup', s.warmupSeconds, undefined, 0.1);
      log(`  ${warmup.rps.toFixed(0)} req/s`);
      log(`commands at peak, ${s.seconds} s …`);
      peak = await profiler.phase('peak', () => run('peak', s.seconds));
      log(`  ${peak.rps.toFixed(0)} req/s, p99 ${peak.latency.p99} ms, non-2xx ${peak.non2xx}, ${runs.peak?.cpuMsPerRequest.toFixed(2)} ms CPU per request, loop delay p99 ${runs.peak?.eventLoopDelayMs?.p99.toFixed(1)} max ${runs.peak?.eventLoopDelayMs?.max.toFixed(1)} ms`);
      const halfRate = Math.max(1, Math.round(peak.rps / 2));
      log(`commands at half of peak (${halfRate} req/s), ${s.seconds} s …`);
      half = await profiler.phase('half', () => run('half', s.seconds, halfRate));
      log(`  ${half.rps.toFixed(0)} req/s, p99 ${half.latency.p99} ms, non-2xx ${half.non2xx}, ${runs.half?.cpuMsPerRequest.toFixed(2)} ms CPU per request, loop delay p99 ${runs.half?.eventLoopDelayMs?.p99.toFixed(1)} max ${runs.half?.eventLoopDelayMs?.max.toFixed(1)} ms`);
    } finally {
      rss.stop();
      await server.close();
    }

    const figures: Figures = {
      quick: s.quick,
      cases: seeded.cases,
      connections: s.connections,
      rawAppendFull: appendFull.eventsPerSecond,
      rawAppendNormal: appendNormal.eventsPerSecond,
      rawRead: read.eventsPerSecond,
      helloWorld: hello.rps,
      commandsPeak: peak.rps,
      peakLatency: peak.latency,
      halfRate: half.rps,
      halfLatency: half.latency,
      eventsPerCommand: runs.peak?.eventsPerCommand ?? 0,
      rebuild: rebuild.eventsPerSecond,
      reportP50: report.p50,
      reportP95: report.p95,
      peakRssMb: rss.peak / 2 ** 20,
    };
    log('');
    log(renderTable(figures));
    const out = {
      when: startedAt.toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadavgAtEnd: loadavg() },
      settings: s,
      figures,
      table: rows(figures),
      details: {
        rawAppend: { full: appendFull, normal: appendNormal, via: 'SqliteEventStore.append, 1 event per awaited append' },
        rawRead: { ...read, via: 'SqliteEventStore.readAll, pages of 1000, no stream filter' },
        helloWorld: hello,
        seeding: { ...seeded, seeded: undefined },
        rebuild,
        report,
        commands: { warmup, peak, half, runs },
        totalSeconds: ms(t0) / 1000,
      },
    };
    const results = path.join(HERE, 'results');
    mkdirSync(results, { recursive: true });
    writeFileSync(path.join(results, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
    log(`\nwritten bench/results/latest.json (total ${(ms(t0) / 1000).toFixed(0)} s)`);
    return 0;
  } finally {
    profiler.stop();
    if (!keepDir(argv)) rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------

/** CPU time of the main thread (the server's event loop), ms; Linux only (else 0). */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return 0;
  }
}

interface Snapshot {
  cpuMs: number;
  loads: number;
  cached: number;
  head: number;
  appends: number;
  commits: number;
}

export interface RunStats {
  /** CPU time of the server's event loop per answered request, ms (robust to other load on the machine). */
  cpuMsPerRequest: number;
  /** Share of case loads that found the folded state cached. */
  cacheHitRate: number;
  eventsPerCommand: number;
  /** Appends per SQLite commit (group commit). */
  appendsPerCommit: number;
  statusCodes: Record<string, number>;
  /** How late the server's event loop ran timers (blocked by work or fsync), ms. */
  eventLoopDelayMs?: { p50: number; p99: number; max: number };
}

async function snapshot(server: RunningServer): Promise<Snapshot> {
  const { repository, store } = server.services;
  const grouping = store instanceof SqliteEventStore ? store.stats() : { appends: 0, commits: 0 };
  return { cpuMs: mainThreadCpuMs(), loads: repository.stats.loads, cached: repository.stats.cached, head: await store.headPosition(), ...grouping };
}

function diff(before: Snapshot, after: Snapshot, result: LoadResult): RunStats {
  const loads = after.loads - before.loads;
  const commits = after.commits - before.commits;
  return {
    cpuMsPerRequest: result.requests === 0 ? 0 : (after.cpuMs - before.cpuMs) / result.requests,
    cacheHitRate: loads === 0 ? 0 : (after.cached - before.cached) / loads,
    eventsPerCommand: result.ok === 0 ? 0 : (after.head - before.head) / result.ok,
    appendsPerCommit: commits === 0 ? 0 : (after.appends - before.appends) / commits,
    statusCodes: result.statusCodes,
  };
}

async function benchTokens() {
  const secret = new TextEncoder().encode(SECRET);
  const sign = (sub: string, roles: ('caseworker' | 'liaison' | 'monitor' | 'analyst')[], state?: string) =>
    signToken(secret, { sub, roles, state, ttlSeconds: 6 * 3600 });
  const caseworker: Record<string, string> = {};
  for (const st of ['DE', 'FR', 'NL']) caseworker[st] = await sign(`bench-caseworker-${st.toLowerCase()}`, ['caseworker'], st);
  const liaison: Record<string, string> = {};
  for (const st of ['PK', 'MA', 'GE', 'NG', 'IQ']) liaison[st] = await sign(`bench-liaison-${st.toLowerCase()}`, ['liaison'], st);
  return {
    analyst: await sign('bench-analyst', ['analyst']),
    plan: { caseworker, liaison, monitor: await sign('bench-monitor', ['monitor']) },
  };
}

/** The seeded agreements by origin State (the demo concludes one per origin). */
async function agreementIds(server: RunningServer): Promise<Record<string, string>> {
  const list = await server.services.agreements.list();
  return Object.fromEntries(list.map((a) => [a.terms.originState, a.agreementId]));
}

async function reportLatency(server: RunningServer, token: string, runs: number) {
  const url = `${server.url}/v1/reports/readmission-obstacles`;
  const get = async () => {
    const started = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`report answered ${res.status}: ${body.slice(0, 200)}`);
    return ms(started);
  };
  await get();
  await get();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await get());
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: times[times.length - 1]!, runs };
}

/** Deterministic shuffle, so cold cases come from all over the log. */
function shuffle(cases: readonly SeededCase[]): SeededCase[] {
  const out = [...cases];
  let x = 0x9e3779b9;
  for (let i = out.length - 1; i > 0; i--) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
