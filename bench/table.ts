/**
 * The benchmark's table: each figure, its baseline, the ratio and the target, met or
 * missed. The same rows go to `bench/results/latest.json` (`rows`).
 */
export interface Latency {
  mean: number;
  p50: number;
  p90: number;
  p97_5: number;
  p99: number;
  p99_9: number;
  max: number;
}

export interface Figures {
  quick: boolean;
  cases: number;
  connections: number;
  rawAppendFull: number;
  rawAppendNormal: number;
  rawRead: number;
  helloWorld: number;
  commandsPeak: number;
  peakLatency: Latency;
  halfRate: number;
  halfLatency: Latency;
  /** Open-loop runs at fixed rates (`--rates`; 100 and 400 req/s unless told). */
  curve: { rate: number; rps: number; latency: Latency }[];
  eventsPerCommand: number;
  rebuild: number;
  reportP50: number;
  reportP95: number;
  peakRssMb: number;
}

export interface Row {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  /** 'met' | 'missed' | '' (a baseline or a figure with no target). */
  verdict: '' | 'met' | 'missed';
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const r2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
const verdict = (ok: boolean): Row['verdict'] => (ok ? 'met' : 'missed');
const lat = (l: Latency) => `p50 ${l.p50} / p99 ${l.p99} / p99.9 ${l.p99_9} ms`;

/** The p99 targets at steady rates (req/s → ms). */
const STEADY_P99_TARGETS: Record<number, number> = { 100: 5, 400: 10 };

export function rows(f: Figures): Row[] {
  const scale = f.quick
    ? ` at ${n0(f.cases)} cases (--quick: fewer than the target's 100k)`
    : ` at ${n0(f.cases)} cases`;
  return [
    {
      figure: 'raw SQLite append, FULL (baseline)',
      value: `${n0(f.rawAppendFull)} events/s`,
      baseline: '',
      ratio: '',
      target: '',
      verdict: '',
    },
    {
      figure: 'raw SQLite append, NORMAL (baseline)',
      value: `${n0(f.rawAppendNormal)} events/s`,
      baseline: '',
      ratio: '',
      target: '',
      verdict: '',
    },
    {
      figure: 'raw log read (baseline)',
      value: `${n0(f.rawRead)} events/s`,
      baseline: '',
      ratio: '',
      target: '',
      verdict: '',
    },
    {
      figure: 'fastify hello world (baseline)',
      value: `${n0(f.helloWorld)} req/s`,
      baseline: '',
      ratio: '',
      target: '',
      verdict: '',
    },
    {
      figure: 'durable commands, peak',
      value: `${n0(f.commandsPeak)} req/s`,
      baseline: `hello world ${n0(f.helloWorld)} req/s`,
      ratio: r2(f.commandsPeak / f.helloWorld),
      target: '>= 0.30',
      verdict: verdict(f.commandsPeak / f.helloWorld >= 0.3),
    },
    {
      figure: 'durable commands vs raw append',
      value: `${n0(f.commandsPeak)} commands/s (${r2(f.eventsPerCommand)} events each)`,
      baseline: `raw append FULL ${n0(f.rawAppendFull)} events/s`,
      ratio: r2(f.commandsPeak / f.rawAppendFull),
      target: '>= 0.50',
      verdict: verdict(f.commandsPeak / f.rawAppendFull >= 0.5),
    },
    { figure: 'latency at peak', value: lat(f.peakLatency), baseline: '', ratio: '', target: '', verdict: '' },
    {
      figure: `latency at half of peak (${n0(f.halfRate)} req/s)`,
      value: lat(f.halfLatency),
      baseline: '',
      ratio: '',
      target: 'p99 < 5 ms',
      verdict: verdict(f.halfLatency.p99 < 5),
    },
    ...f.curve.map(({ rate, latency }): Row => {
      const target = STEADY_P99_TARGETS[rate];
      return {
        figure: `latency at a steady ${n0(rate)} req/s`,
        value: lat(latency),
        baseline: '',
        ratio: '',
        target: target === undefined ? '' : `p99 < ${target} ms`,
        verdict: target === undefined ? '' : verdict(latency.p99 < target),
      };
    }),
    {
      figure: 'projection rebuild',
      value: `${n0(f.rebuild)} events/s`,
      baseline: '',
      ratio: '',
      target: '>= 100,000 events/s',
      verdict: verdict(f.rebuild >= 100_000),
    },
    {
      figure: 'projection rebuild vs raw read',
      value: `${n0(f.rebuild)} events/s`,
      baseline: `raw read ${n0(f.rawRead)} events/s`,
      ratio: r2(f.rebuild / f.rawRead),
      target: '>= 0.50',
      verdict: verdict(f.rebuild / f.rawRead >= 0.5),
    },
    {
      figure: `obstacles report${scale}`,
      value: `p50 ${f.reportP50.toFixed(1)} ms (p95 ${f.reportP95.toFixed(1)} ms)`,
      baseline: '',
      ratio: '',
      target: 'p50 < 50 ms',
      verdict: verdict(f.reportP50 < 50),
    },
    {
      figure: 'peak RSS while serving',
      value: `${n0(f.peakRssMb)} MB`,
      baseline: '',
      ratio: '',
      target: '< 300 MB',
      verdict: verdict(f.peakRssMb < 300),
    },
  ];
}

/** A plain-text table (also valid Markdown). */
export function renderTable(f: Figures): string {
  const all = rows(f);
  const head = ['figure', 'value', 'baseline', 'ratio', 'target', 'met?'];
  const cells = all.map((r) => [r.figure, r.value, r.baseline, r.ratio, r.target, r.verdict]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
