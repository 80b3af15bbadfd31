import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import type { LoadResult } from './load.ts';

/**
 * An open-loop load at a constant rate: request n is due at start + n / rate, whatever the
 * answers before it did, and its latency counts from when it was due (so a server that falls
 * behind is charged for the wait: no coordinated omission). autocannon's `overallRate` is not
 * that: each connection sends its share of a second back to back when the second starts, so a
 * "half-rate" run is bursts at full speed, and its latencies are those of the peak.
 *
 * The requests are the command mix's (bench/load/command-mix.cjs), with the same plan file.
 * The first `warmupSeconds` are sent but not counted: the run starts with new connections and
 * a new set of hot cases (a wave of openings), which is not the steady state being measured.
 */
interface MixModule {
  setupRequest(req: MixRequest, context: Record<string, unknown>): MixRequest;
  onResponse(status: number, body: string, context: Record<string, unknown>): void;
}

interface MixRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

export async function openLoop(options: {
  url: string;
  rate: number;
  seconds: number;
  /** Sent first, not counted. */
  warmupSeconds: number;
  mix: string;
  planFile: string;
}): Promise<LoadResult> {
  process.env.RRC_BENCH_PLAN = options.planFile;
  const require = createRequire(import.meta.url);
  // A fresh copy of the mix module (its state is per run, as in autocannon's worker).
  delete require.cache[require.resolve(options.mix)];
  const mix = require(options.mix) as MixModule;
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let inFlight = 0;
  const warmup = Math.round(options.rate * options.warmupSeconds);
  const total = warmup + Math.round(options.rate * options.seconds);
  const started = performance.now();
  const send = (due: number, counted: boolean) =>
    new Promise<void>((resolve) => {
      const context: Record<string, unknown> = {};
      const r = mix.setupRequest({ headers: {} }, context);
      inFlight += 1;
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          method: r.method ?? 'POST',
          path: r.path ?? '/',
          headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body ?? '') },
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (counted) {
              statusCodes[status] = (statusCodes[status] ?? 0) + 1;
              if (status >= 200 && status < 300) latencies.push(performance.now() - due);
            }
            mix.onResponse(status, Buffer.concat(chunks).toString('utf8'), context);
            inFlight -= 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        inFlight -= 1;
        resolve();
      });
      req.end(r.body ?? '');
    });

  const pending: Promise<void>[] = [];
  let next = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && started + (next * 1000) / options.rate <= now) {
        pending.push(send(started + (next * 1000) / options.rate, next >= warmup));
        next += 1;
      }
      if (next >= total) return done();
      const wait = started + (next * 1000) / options.rate - performance.now();
      if (wait > 1) setTimeout(tick, wait - 1);
      else setImmediate(tick);
    };
    tick();
  });
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000 - options.warmupSeconds;
  agent.destroy();
  void inFlight;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies.length === 0 ? 0 : latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const round = (x: number) => Math.round(x * 10) / 10;
  const ok = latencies.length;
  const requests = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    rps: requests / seconds,
    requests,
    ok,
    non2xx: requests - ok,
    errors,
    timeouts: 0,
    statusCodes,
    latency: {
      mean: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, ok)),
      p50: round(at(0.5)),
      p90: round(at(0.9)),
      p97_5: round(at(0.975)),
      p99: round(at(0.99)),
      p99_9: round(at(0.999)),
      max: round(latencies.at(-1) ?? 0),
    },
    seconds,
  };
}
