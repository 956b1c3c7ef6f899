/**
 * Tiers for tests of the tables and findings (no model behind them): one
 * tier model, and a tier summarised over training seeds.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { testSummary, testTier } from "./testing.ts";
 * assertEquals(testTier("t", 0.5).base, 0.5);
 * assertEquals(testSummary("t", 0.5).bases, { 0: 0.5 });
 * ```
 */
import type { Ladder, Tier, TierSummary } from "./runs.ts";

export function testTier(label: string, base: number, ladder: Ladder = "size", trainSeed = 0): Tier {
  return { ladder, label, trainSeed, x: 1, steps: 1, numParams: 1, modelDir: "", base, byBand: [] };
}

/** A summary whose base is `base` in every training seed unless `bases` says otherwise. */
export function testSummary(
  label: string,
  base: number,
  ladder: Ladder = "size",
  bases: Record<number, number> = { 0: base },
): TierSummary {
  return { ladder, label, x: 1, steps: 1, numParams: 1, base, lo: base, hi: base, bases, byBand: [] };
}
