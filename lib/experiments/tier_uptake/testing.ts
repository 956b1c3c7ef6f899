/**
 * A tier for tests of the tables and findings (no model behind it).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { testTier } from "./testing.ts";
 * assertEquals(testTier("t", 0.5).base, 0.5);
 * ```
 */
import type { Ladder, Tier } from "./runs.ts";

export function testTier(label: string, base: number, ladder: Ladder = "size"): Tier {
  return { ladder, label, x: 1, steps: 1, numParams: 1, modelDir: "", base, byBand: [] };
}
