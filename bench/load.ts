import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** Requests a second over all connections; absent: as fast as the server answers. */
  rate?: number;
  /** CommonJS modules (absolute paths) for autocannon's per-request hooks. */
  setupRequest?: string;
  onResponse?: string;
  /** Env for autocannon's worker (copied when it starts). */
  env?: Record<string, string>;
}

export interface LoadResult {
  /** Completed requests a second (2xx and others). */
  rps: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Latency of 2xx answers, ms (autocannon's 1 ms resolution). */
  latency: { mean: number; p50: number; p90: number; p97_5: number; p99: number; p99_9: number; max: number };
  seconds: number;
}

/**
 * One autocannon run. The load generator runs in autocannon's worker thread (`workers: 1`),
 * so on a 2-core machine it has a core of its own instead of sharing the server's event loop.
 */
export function load(options: LoadOptions): Promise<LoadResult> {
  for (const [k, v] of Object.entries(options.env ?? {})) process.env[k] = v;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        workers: 1,
        ...(options.rate ? { overallRate: options.rate } : {}),
        ...(options.setupRequest
          ? {
              requests: [
                { method: 'POST', path: '/', setupRequest: options.setupRequest, onResponse: options.onResponse },
              ],
            }
          : {}),
      },
      (error, r) => {
        if (error) return reject(error);
        const completed = r['2xx'] + r.non2xx;
        resolve({
          rps: completed / r.duration,
          requests: completed,
          ok: r['2xx'],
          non2xx: r.non2xx,
          errors: r.errors,
          timeouts: r.timeouts,
          statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count])),
          latency: {
            mean: r.latency.mean,
            p50: r.latency.p50,
            p90: r.latency.p90,
            p97_5: r.latency.p97_5,
            p99: r.latency.p99,
            p99_9: r.latency.p99_9,
            max: r.latency.max,
          },
          seconds: r.duration,
        });
      },
    );
  });
}
