import type { CodecFigures } from './codec.ts';
import type { LoadResult } from './load.ts';
import type { BulkSeedResult } from './seed.ts';
import type { GcStats, LiveHeap, ProjectionBatches, ServerStats } from './server.ts';

/** What the server did during one load run (from its stats before and after), and the details printed under the table. */
export interface RunStats {
  /** CPU time of the server's event loop per answered request, ms (robust to other load on the machine). */
  cpuMsPerRequest: number;
  /** Share of case loads that found the folded state cached. */
  cacheHitRate: number;
  eventsPerCommand: number;
  /** Appends per SQLite commit (group commit). */
  appendsPerCommit: number;
  statusCodes: Record<string, number>;
  /** How late the server's event loop ran timers (blocked by work or an fsync), ms. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** The server's memory after the run, MB. */
  memoryMb: { rss: number; heapUsed: number; heapTotal: number; peakRss: number };
  heapSpacesMb: ServerStats['heapSpacesMb'];
  /** Events the read models had still to apply when the run ended (they follow the log in the server). */
  projectionLag: number;
  /** The server's garbage collections during the run. */
  gc: GcStats;
  /** The read models' batches during the run, on the server's event loop. */
  projectionBatches: ProjectionBatches;
  /** The WAL's fdatasyncs during the run: each command waits for one (off the event loop). */
  fsyncs: ServerStats['fsyncs'];
}

export function runStats(before: ServerStats, after: ServerStats, result: LoadResult): RunStats {
  const loads = after.loads - before.loads;
  const commits = after.commits - before.commits;
  return {
    cpuMsPerRequest: result.requests === 0 ? 0 : (after.cpuMs - before.cpuMs) / result.requests,
    cacheHitRate: loads === 0 ? 0 : (after.cached - before.cached) / loads,
    eventsPerCommand: result.ok === 0 ? 0 : (after.head - before.head) / result.ok,
    appendsPerCommit: commits === 0 ? 0 : (after.appends - before.appends) / commits,
    statusCodes: result.statusCodes,
    eventLoopDelayMs: after.eventLoopDelayMs,
    memoryMb: {
      rss: after.rssBytes / 2 ** 20,
      heapUsed: after.heapUsedBytes / 2 ** 20,
      heapTotal: after.heapTotalBytes / 2 ** 20,
      peakRss: after.peakRssBytes / 2 ** 20,
    },
    heapSpacesMb: after.heapSpacesMb,
    projectionLag: after.projectionLag,
    gc: after.gc,
    projectionBatches: after.projectionBatches,
    fsyncs: after.fsyncs,
  };
}

export const summary = (r: LoadResult, st: RunStats) =>
  `${r.rps.toFixed(0)} req/s, p50 ${r.latency.p50} p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, ` +
  `${st.cpuMsPerRequest.toFixed(2)} ms server CPU per request, event-loop delay p99 ${st.eventLoopDelayMs.p99.toFixed(1)} ms`;

export function renderDetails(d: {
  seeded: BulkSeedResult;
  codec: CodecFigures;
  runs: Record<string, RunStats>;
  rebuild: { events: number; ms: number };
  read: { events: number; ms: number };
  storeFull: { eventsPerSecond: number };
  storeNormal: { eventsPerSecond: number };
  hello: LoadResult;
  floor: LoadResult;
  liveHeap: LiveHeap | undefined;
}): string {
  const lines = [
    ...(d.liveHeap
      ? [
          `memory: after the runs and full GCs the server's V8 heap holds ${d.liveHeap.heapUsedMb.toFixed(0)} MB ` +
            `(RSS ${d.liveHeap.rssMb.toFixed(0)} MB); above that, peak RSS is garbage V8 had not yet collected and SQLite's page caches`,
        ]
      : []),
    `rrc's pipeline alone (GET /health/live: security headers, rate limit, request id, metrics, logging): ` +
      `${d.floor.rps.toFixed(0)} req/s, ${(d.floor.rps / d.hello.rps).toFixed(2)} × hello world, ` +
      `${d.runs.floor!.cpuMsPerRequest.toFixed(2)} ms server CPU per request`,
    `raw SQLite append: better-sqlite3 on the store's schema, one event per transaction; through SqliteEventStore, ` +
      `one awaited append at a time: FULL ${d.storeFull.eventsPerSecond.toFixed(0)}, NORMAL ${d.storeNormal.eventsPerSecond.toFixed(0)} events/s`,
    `seeding: ${d.seeded.cases} cases (${d.seeded.templates} lived through the command path in ${(d.seeded.simulateMs / 1000).toFixed(1)} s, ` +
      `the rest copied in ${(d.seeded.copyMs / 1000).toFixed(1)} s), ${d.seeded.events} events; ${(d.seeded.openShare * 100).toFixed(0)} % of cases still open`,
    `log: read ${d.read.events} events in ${(d.read.ms / 1000).toFixed(1)} s; the rebuild applied ${d.rebuild.events} in ${(d.rebuild.ms / 1000).toFixed(1)} s`,
    `codec per event (${d.codec.events} seeded events): encode ${d.codec.encodeUs.toFixed(1)} µs, decode ${d.codec.decodeUs.toFixed(1)} µs; ` +
      `parts: path extraction ${d.codec.extractUs.toFixed(1)} µs, injection ${d.codec.injectUs.toFixed(1)} µs, ` +
      `AES-GCM seal ${d.codec.sealUs.toFixed(1)} µs, open ${d.codec.openUs.toFixed(1)} µs`,
  ];
  for (const [name, r] of Object.entries(d.runs).filter(([n]) => n !== 'floor')) {
    const codes = Object.entries(r.statusCodes)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    lines.push(
      `commands ${name}: ${r.cpuMsPerRequest.toFixed(2)} ms server CPU per request, case cache hits ${(r.cacheHitRate * 100).toFixed(0)} %, ` +
        `${r.appendsPerCommit.toFixed(1)} appends per commit, ${r.eventsPerCommand.toFixed(2)} events per command, ` +
        `event-loop delay p99 ${r.eventLoopDelayMs.p99.toFixed(1)} ms (max ${r.eventLoopDelayMs.max.toFixed(0)}), ` +
        `RSS ${r.memoryMb.rss.toFixed(0)} MB (V8 heap ${r.memoryMb.heapUsed.toFixed(0)} of ${r.memoryMb.heapTotal.toFixed(0)} MB), ` +
        `read models ${r.projectionLag} events behind at the end; ` +
        `GC: ${r.gc.minor.count} scavenges (max ${r.gc.minor.maxMs.toFixed(1)} ms), ${r.gc.major.count} mark-compacts ` +
        `(${r.gc.major.totalMs.toFixed(0)} ms, max ${r.gc.major.maxMs.toFixed(1)} ms); ` +
        `read-model batches: ${r.projectionBatches.batches} (${r.projectionBatches.events} events, ` +
        `${r.projectionBatches.totalMs.toFixed(0)} ms, max ${r.projectionBatches.maxMs.toFixed(1)} ms, ` +
        `${r.projectionBatches.over5Ms} of 5 ms or more); ` +
        `fdatasyncs: ${r.fsyncs.count} (mean ${(r.fsyncs.totalMs / Math.max(1, r.fsyncs.count)).toFixed(1)} ms, ` +
        `max ${r.fsyncs.maxMs.toFixed(1)} ms, ${r.fsyncs.over5Ms} of 5 ms or more); status ${codes}`,
    );
  }
  return lines.join('\n');
}
