const ms = (from: number) => performance.now() - from;

export interface ReportLatency {
  p50: number;
  p95: number;
  max: number;
  runs: number;
  /** The server's peak RSS once the reports were answered (before any command). */
  peakRssMb?: number;
}

/** GET /v1/reports/readmission-obstacles (JSON, all origins, no date range), one request at a time. */
export async function reportLatency(url: string, token: string, runs: number): Promise<ReportLatency> {
  const get = async () => {
    const started = performance.now();
    const res = await fetch(`${url}/v1/reports/readmission-obstacles`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`the report answered ${res.status}: ${body.slice(0, 200)}`);
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
