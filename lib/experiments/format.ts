/**
 * Number formatting for the generated findings of every analysis, so a value
 * reads the same in each notebook: two decimals, a sign on changes, "n/a" for
 * a missing value, and intervals that say when there is none.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { fixed2, intervalText, signed2 } from "./format.ts";
 * assertEquals([fixed2(0.125), signed2(0.3), signed2(-0.3), fixed2(NaN)], ["0.13", "+0.30", "-0.30", "n/a"]);
 * assertEquals(intervalText(0.1, 0.5), "[0.10, 0.50]");
 * assertEquals(intervalText(-0.2, 0.1, { signed: true }), "[-0.20, +0.10]");
 * assertEquals(intervalText(NaN, NaN), "(one seed: no interval)");
 * ```
 */

/** Two decimals, or "n/a" when not finite. */
export function fixed2(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : "n/a";
}

/** Two decimals with a sign ("+0.30", "-0.30"), or "n/a" when not finite. */
export function signed2(x: number): string {
  return Number.isFinite(x) ? (x >= 0 ? "+" : "") + x.toFixed(2) : "n/a";
}

/** "[lo, hi]" (signed for changes), or "(one seed: no interval)" when the interval is undefined. */
export function intervalText(lo: number, hi: number, opts: { signed?: boolean } = {}): string {
  const f = opts.signed ? signed2 : fixed2;
  return Number.isFinite(lo) ? `[${f(lo)}, ${f(hi)}]` : "(one seed: no interval)";
}

/** A value as plain text with at most `digits` decimals and no trailing zeros ("0.1"). */
export function shortNumber(x: number, digits = 3): string {
  return String(+x.toFixed(digits));
}
