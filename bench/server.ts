/**
 * The server under test, in a process of its own (started by bench/run.ts with
 * `node --import tsx bench/server.ts`): rrc as `rrc serve` composes it (`startServer`), on the
 * data dir and configuration in its environment. A process of its own so that its peak RSS is
 * the server's alone, not the seeding's or the load generator's. It answers the harness over
 * IPC: its stats (CPU of its event loop, memory, cache hits, group commits), CPU profiles, close.
 */
import { readFileSync } from 'node:fs';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { pino } from 'pino';
import { loadConfig } from '../services/config.ts';
import type { ProjectionRunner } from '../projections/runner.ts';
import type { StoredEvent } from '../services/event-store/port.ts';
import { SqliteEventStore } from '../services/event-store/sqlite-store.ts';
import type { SyncStats } from '../services/event-store/wal-sync.ts';
import { startServer } from '../services/server.ts';
import { PhaseProfiler } from './profile.ts';

export interface ServerStats {
  /** CPU time of the main thread (the event loop), ms. */
  cpuMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** V8's heap as allocated from the OS (what the heap adds to RSS). */
  heapTotalBytes: number;
  /** V8's heap spaces (new, old, code, large objects …): used and allocated, MB. */
  heapSpacesMb: Record<string, { used: number; size: number }>;
  /** Peak RSS of the process so far (VmHWM), bytes. */
  peakRssBytes: number;
  loads: number;
  cached: number;
  head: number;
  appends: number;
  commits: number;
  /** Events of the log the read models have not applied yet. */
  projectionLag: number;
  /** How late the event loop ran timers since the last stats (blocked by work or an fsync), ms. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** Garbage collections since the last stats: scavenges (young) and mark-compacts (old), with their pauses. */
  gc: GcStats;
  /** The read models' batches since the last stats: how long they held the event loop. */
  projectionBatches: ProjectionBatches;
  /** The WAL's fdatasyncs since the last stats: how long appends waited for the disk (off the event loop). */
  fsyncs: SyncStats;
}

export type ProjectionBatches = ReturnType<ProjectionRunner<StoredEvent>['batchStats']>;

export interface GcStats {
  minor: { count: number; totalMs: number; maxMs: number };
  major: { count: number; totalMs: number; maxMs: number };
}

const noGc = (): GcStats => ({
  minor: { count: 0, totalMs: 0, maxMs: 0 },
  major: { count: 0, totalMs: 0, maxMs: 0 },
});

export type ServerRequest =
  | { type: 'stats' }
  | { type: 'live-heap' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; name: string }
  | { type: 'close' };

/** The V8 heap after full collections: what the server really holds, apart from garbage not yet collected. */
export interface LiveHeap {
  heapUsedMb: number;
  rssMb: number;
}

/** CPU time of this process's main thread, ms; Linux only (else 0). */
export function mainThreadCpuMs(pid = process.pid): number {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return 0;
  }
}

function peakRss(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : process.memoryUsage.rss();
  } catch {
    return process.memoryUsage.rss();
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config, pino({ level: 'warn' }));
  const profiler = new PhaseProfiler(process.env.RRC_BENCH_PROFILE_DIR);
  await profiler.start();
  const send = (message: unknown) => process.send?.(message);
  const delay = monitorEventLoopDelay({ resolution: 2 });
  delay.enable();
  // GC pauses, to tell a latency tail made by the collector from one made by our own work.
  let gc = noGc();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      const bucket =
        kind === constants.NODE_PERFORMANCE_GC_MINOR
          ? gc.minor
          : kind === constants.NODE_PERFORMANCE_GC_MAJOR
            ? gc.major
            : undefined;
      if (!bucket) continue;
      bucket.count += 1;
      bucket.totalMs += entry.duration;
      bucket.maxMs = Math.max(bucket.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });

  process.on('message', (message: ServerRequest) => {
    void (async () => {
      switch (message.type) {
        case 'stats': {
          const { repository, store } = server.services;
          if (process.env.RRC_BENCH_GC_BEFORE_STATS) (globalThis as { gc?: () => void }).gc?.();
          const grouping = store instanceof SqliteEventStore ? store.stats() : { appends: 0, commits: 0 };
          const stats: ServerStats = {
            cpuMs: mainThreadCpuMs(),
            rssBytes: process.memoryUsage.rss(),
            heapUsedBytes: process.memoryUsage().heapUsed,
            heapTotalBytes: process.memoryUsage().heapTotal,
            heapSpacesMb: Object.fromEntries(
              getHeapSpaceStatistics().map((h) => [
                h.space_name,
                { used: Math.round(h.space_used_size / 2 ** 20), size: Math.round(h.space_size / 2 ** 20) },
              ]),
            ),
            peakRssBytes: peakRss(),
            loads: repository.stats.loads,
            cached: repository.stats.cached,
            head: await store.headPosition(),
            projectionLag: await server.services.projections.lag(),
            ...grouping,
            eventLoopDelayMs: {
              p50: delay.percentile(50) / 1e6,
              p99: delay.percentile(99) / 1e6,
              max: delay.max / 1e6,
            },
            gc,
            projectionBatches: server.services.projections.batchStats({ reset: true }),
            fsyncs:
              store instanceof SqliteEventStore
                ? store.syncStats({ reset: true })
                : { count: 0, totalMs: 0, maxMs: 0, over5Ms: 0 },
          };
          delay.reset();
          gc = noGc();
          send({ type: 'stats', stats });
          return;
        }
        case 'live-heap': {
          const gc = (globalThis as { gc?: () => void }).gc;
          gc?.();
          gc?.();
          const live: LiveHeap = {
            heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
            rssMb: process.memoryUsage.rss() / 2 ** 20,
          };
          send({ type: 'live-heap', stats: live });
          return;
        }
        case 'profile-start':
          await profiler.begin();
          send({ type: 'ok' });
          return;
        case 'profile-stop':
          await profiler.end(message.name);
          send({ type: 'ok' });
          return;
        case 'close':
          profiler.stop();
          await server.close();
          send({ type: 'closed' });
          process.disconnect?.();
          return;
      }
    })().catch((e: unknown) => send({ type: 'error', message: String(e) }));
  });
  send({ type: 'ready', url: server.url });
}

await main();
