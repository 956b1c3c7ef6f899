import { assertStringIncludes } from "@std/assert";
import * as aq from "arquero";
import { quickstartFindings } from "./findings.ts";
import type { levelSummary } from "./tables.ts";

function summaryOf(
  rows: { level: number; trained: boolean; mean: number; lo: number; hi: number; vs_chance: string }[],
) {
  return aq.from(rows.map((r) => ({ seeds: 3, chance: 0.1, ...r }))) as unknown as ReturnType<
    typeof levelSummary
  >;
}

Deno.test("quickstartFindings: every branch is driven by the table", () => {
  const learnedNoGen = quickstartFindings(summaryOf([
    { level: 1, trained: true, mean: 0.95, lo: 0.9, hi: 1, vs_chance: "above" },
    { level: 2, trained: false, mean: 0.1, lo: 0.05, hi: 0.15, vs_chance: "overlaps" },
  ]));
  assertStringIncludes(learnedNoGen, "L1 0.95 [0.90, 1.00] vs chance 0.10 (above)");
  assertStringIncludes(learnedNoGen, "1 of 1 trained levels are above chance");
  assertStringIncludes(learnedNoGen, "does not extrapolate past the trained length");
  const gen = quickstartFindings(summaryOf([
    { level: 1, trained: true, mean: 0.95, lo: 0.9, hi: 1, vs_chance: "above" },
    { level: 2, trained: false, mean: 0.5, lo: 0.4, hi: 0.6, vs_chance: "above" },
  ]));
  assertStringIncludes(
    gen,
    "1 of 1 longer levels (L2) are above chance, the best L2 at 0.50: some length generalisation",
  );
  const trace = quickstartFindings(summaryOf([
    { level: 1, trained: true, mean: 0.95, lo: 0.9, hi: 1, vs_chance: "above" },
    { level: 2, trained: false, mean: 0.13, lo: 0.105, hi: 0.155, vs_chance: "above" },
    { level: 3, trained: false, mean: 0.09, lo: 0.05, hi: 0.13, vs_chance: "overlaps" },
  ]));
  // 1 - 0.95^2 = 0.0975
  assertStringIncludes(trace, "1 of 2 longer levels (L2) are above chance, but none reaches twice chance");
  assertStringIncludes(trace, "by luck alone 0.10 of the time");
  const none = quickstartFindings(summaryOf([
    { level: 1, trained: true, mean: 0.0, lo: 0, hi: 0, vs_chance: "below" },
  ]));
  assertStringIncludes(none, "did not learn the trained levels");
  const oneSeed = quickstartFindings(summaryOf([
    { level: 1, trained: true, mean: 0.5, lo: NaN, hi: NaN, vs_chance: "overlaps" },
  ]));
  assertStringIncludes(oneSeed, "(one seed: no interval)");
});
