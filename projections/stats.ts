/**
 * Exact order statistics for reports (no sketches, no sampling).
 *
 * Percentiles use linear interpolation between closest ranks: the "type 7" definition of
 * Hyndman and Fan, as in Excel's PERCENTILE.INC, R's default and NumPy's default. For sorted
 * values x[0..n-1] and p in [0, 100]: h = (n - 1)·p/100, result = x[⌊h⌋] + (h - ⌊h⌋)·(x[⌊h⌋+1] - x[⌊h⌋]).
 * The median is the 50th percentile (the mean of the two middle values when n is even).
 * Integer inputs and whole percents are computed in integer arithmetic, so results are exact
 * to the hundredth; other inputs are rounded to two decimals.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const scaled = (n - 1) * p; // h·100
  const k = Math.floor(scaled / 100);
  const rest = scaled - k * 100; // (h - ⌊h⌋)·100
  const lower = sorted[k]!;
  const upper = sorted[Math.min(k + 1, n - 1)]!;
  return round2(lower + (rest * (upper - lower)) / 100);
}

export const median = (values: readonly number[]): number | null => percentile(values, 50);

/** A share in [0, 1], rounded to four decimals; null when there is nothing to divide by. */
export const share = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * The same percentiles from counts of each value instead of every value (whole days in a
 * report: a few dozen distinct values however many facts), with the same ranks and arithmetic
 * as `percentile`, so the results are identical.
 */
export class Histogram {
  readonly #counts = new Map<number, number>();

  add(value: number, n = 1): void {
    this.#counts.set(value, (this.#counts.get(value) ?? 0) + n);
  }

  percentile(p: number): number | null {
    const sorted = [...this.#counts].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
    let total = 0;
    for (const [, n] of sorted) total += n;
    if (total === 0) return null;
    const scaled = (total - 1) * p; // h·100
    const k = Math.floor(scaled / 100);
    const rest = scaled - k * 100; // (h - ⌊h⌋)·100
    const lower = valueAtRank(sorted, k);
    const upper = valueAtRank(sorted, Math.min(k + 1, total - 1));
    return round2(lower + (rest * (upper - lower)) / 100);
  }
}

/** The value at 0-based rank `rank` of the sorted multiset given as `[value, count]` pairs. */
function valueAtRank(sorted: readonly [number, number][], rank: number): number {
  let seen = 0;
  for (const [value, n] of sorted) {
    seen += n;
    if (rank < seen) return value;
  }
  return sorted[sorted.length - 1]![0];
}
