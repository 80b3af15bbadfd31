import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram, median, percentile, share } from './stats.ts';

describe('exact order statistics (linear interpolation between closest ranks)', () => {
  it('gives the middle value, or the mean of the two middle ones', () => {
    expect(median([7])).toBe(7);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 5, 10, 20, 38])).toBe(7.5);
    expect(median([])).toBeNull();
  });

  it('interpolates the 90th percentile between the closest ranks (as PERCENTILE.INC)', () => {
    expect(percentile([1, 2, 5, 10, 20, 38], 90)).toBe(29); // rank 4.5: 20 + 0.5 · 18
    expect(percentile([3, 8, 14, 23], 90)).toBe(20.3); // rank 2.7: 14 + 0.7 · 9
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9.1);
    expect(percentile([4, 4, 4], 90)).toBe(4);
    expect(percentile([10, 0], 0)).toBe(0);
    expect(percentile([10, 0], 100)).toBe(10);
  });

  it('is exact to the hundredth on whole days (no floating-point residue)', () => {
    const days = Array.from({ length: 101 }, (_, i) => (i * 37) % 101);
    for (let p = 0; p <= 100; p++) {
      const v = percentile(days, p)!;
      expect(Math.round(v * 100) / 100).toBe(v);
    }
    expect(percentile(days, 90)).toBe(90);
  });

  it('gives shares in [0, 1] to four decimals, null when there is nothing to divide', () => {
    expect(share(6, 7)).toBe(0.8571);
    expect(share(0, 3)).toBe(0);
    expect(share(1, 0)).toBeNull();
  });

  it('gives the same percentiles from counts per value as from every value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 60 }), { maxLength: 80 }),
        fc.integer({ min: 0, max: 100 }),
        (values, p) => {
          const h = new Histogram();
          for (const v of values) h.add(v);
          h.add(1000, 0); // a value counted up and down again is not there
          expect(h.percentile(p)).toBe(percentile(values, p));
        },
      ),
    );
  });
});
