/**
 * Intervals. Across seeds: the mean of per-seed values with a Student-t 95%
 * interval (seeds are the unit of replication, not problems, because every
 * seed is scored on the same frozen problems), and the Welch interval on a
 * difference of two means. Within one run: the Wilson score interval of an
 * accuracy over problems.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { meanInterval, wilson } from "./intervals.ts";
 * const m = meanInterval([1, 2, 3]); // mean 2, sd 1, t(2) = 4.303
 * assertEquals([m.mean, +m.lo.toFixed(3), +m.hi.toFixed(3)], [2, -0.484, 4.484]);
 * assertEquals(wilson(5, 10).map((x) => +x.toFixed(4)), [0.2366, 0.7634]);
 * ```
 */

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [
  12.706,
  4.303,
  3.182,
  2.776,
  2.571,
  2.447,
  2.365,
  2.306,
  2.262,
  2.228,
  2.201,
  2.179,
  2.160,
  2.145,
  2.131,
  2.120,
  2.110,
  2.101,
  2.093,
  2.086,
  2.080,
  2.074,
  2.069,
  2.064,
  2.060,
  2.056,
  2.052,
  2.048,
  2.045,
  2.042,
];

/** The t quantile for a 95% two-sided interval (df > 30: 1.96 + 2.4/df, within 0.003). */
export function tCritical95(df: number): number {
  if (!(df >= 1)) return NaN;
  const d = Math.floor(df);
  return d <= 30 ? T975[d - 1] : 1.96 + 2.4 / d;
}

export interface MeanInterval {
  mean: number;
  /** Sample standard deviation (n - 1); NaN for one value. */
  sd: number;
  n: number;
  /** 95% t interval; NaN for fewer than two values. */
  lo: number;
  hi: number;
}

/** Mean with a 95% Student-t interval. */
export function meanInterval(xs: readonly number[]): MeanInterval {
  const n = xs.length;
  if (n === 0) return { mean: NaN, sd: NaN, n, lo: NaN, hi: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, sd: NaN, n, lo: NaN, hi: NaN };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const half = tCritical95(n - 1) * sd / Math.sqrt(n);
  return { mean, sd, n, lo: mean - half, hi: mean + half };
}

/**
 * Mean of values that are proportions (accuracy, pass rate, a share) with its 95% t interval clipped to
 * [0, 1]: the t interval is symmetric and can cross the bounds with few seeds; the clipped one says the same
 * about the data without printing an accuracy of 1.29.
 *
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { proportionInterval } from "./intervals.ts";
 * const p = proportionInterval([1, 1, 0.2]);
 * assertEquals([p.lo >= 0, p.hi], [true, 1]);
 * ```
 */
export function proportionInterval(xs: readonly number[]): MeanInterval {
  const m = meanInterval(xs);
  const clip = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : v);
  return { ...m, lo: clip(m.lo), hi: clip(m.hi) };
}

export interface DiffInterval {
  /** mean(a) - mean(b). */
  diff: number;
  lo: number;
  hi: number;
  /** Welch-Satterthwaite degrees of freedom. */
  df: number;
}

/** Difference of two independent means with a Welch 95% interval (NaN bounds when either side has < 2 values). */
export function diffInterval(a: readonly number[], b: readonly number[]): DiffInterval {
  const ma = meanInterval(a), mb = meanInterval(b);
  const diff = ma.mean - mb.mean;
  if (a.length < 2 || b.length < 2) return { diff, lo: NaN, hi: NaN, df: NaN };
  const va = ma.sd ** 2 / a.length, vb = mb.sd ** 2 / b.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { diff, lo: diff, hi: diff, df: Infinity };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const half = tCritical95(df) * se;
  return { diff, lo: diff - half, hi: diff + half, df };
}

/**
 * Where an interval lies relative to a reference value: "above", "below" or
 * "overlaps". Within `eps` counts as touching (a chance level computed by a
 * DP is 0.1 + 2e-17, and an accuracy of exactly 0.1 must overlap it).
 */
export function compareToReference(
  lo: number,
  hi: number,
  ref: number,
  eps = 1e-9,
): "above" | "below" | "overlaps" {
  if (lo > ref + eps) return "above";
  if (hi < ref - eps) return "below";
  return "overlaps";
}

/** Wilson score interval for k successes in n trials (z = 1.96 for 95%); [0, 1] when n is 0. */
export function wilson(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n, z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
