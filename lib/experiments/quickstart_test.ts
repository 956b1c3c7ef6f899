import { assertAlmostEquals, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import * as aq from "arquero";
import { LabError } from "../core/errors.ts";
import { parseSftConfig, type SftResult } from "../train/sft.ts";
import { SCALES } from "../notebook/scale.ts";
import type { CachedRun } from "../core/run_cache.ts";
import {
  levelSummary,
  lossTable,
  quickstartFindings,
  quickstartParams,
  type QuickstartRun,
  sftConfigFor,
} from "./quickstart.ts";

Deno.test("every scale gives a valid SFT config whose context fits the longest level", () => {
  for (const scale of SCALES) {
    const p = quickstartParams(scale);
    for (const seed of p.seeds) {
      const c = parseSftConfig(sftConfigFor(p, seed));
      assertEquals(c.seed, seed);
      assertEquals(c.model.block_size, 8 * Math.max(...p.eval_levels) + 8);
    }
  }
  assertEquals(quickstartParams("default") !== quickstartParams("default"), true); // fresh copies
});

Deno.test("quickstart params: unknown or wrong fields are errors naming the field", () => {
  const p = { ...quickstartParams("smoke"), step: 10 };
  assertThrows(() => sftConfigFor(p as never, 0), LabError, "step");
  assertThrows(() => sftConfigFor({ ...quickstartParams("smoke"), seeds: [] }, 0), LabError, "seeds");
});

function fakeRun(seed: number, acc: Record<number, number>): QuickstartRun {
  const final = Object.entries(acc).map(([level, a]) => ({
    level: Number(level),
    n: 100,
    correct: Math.round(a * 100),
    accuracy: a,
    lo: a,
    hi: a,
  }));
  const result = {
    metrics: [{ step: 1, loss: 2 }, { step: 2, loss: 1, acc_L1: 0.5 }],
    final,
    samples: [],
  } as unknown as SftResult;
  return { seed, run: { result, cached: true, key: `k${seed}`, dir: "" } as CachedRun<SftResult> };
}

Deno.test("levelSummary: mean over seeds, t interval, exact chance, verdict vs chance", () => {
  const params = { ...quickstartParams("default"), seeds: [0, 1, 2], train_levels: [1], eval_levels: [1, 2] };
  const runs = [
    fakeRun(0, { 1: 0.9, 2: 0.1 }),
    fakeRun(1, { 1: 1.0, 2: 0.1 }),
    fakeRun(2, { 1: 0.8, 2: 0.1 }),
  ];
  const rows = levelSummary(runs, params).objects() as Record<string, number | string | boolean>[];
  // level 1: mean 0.9, sd 0.1, half = 4.303 * 0.1 / sqrt(3) = 0.24844
  assertAlmostEquals(rows[0].mean as number, 0.9, 1e-12);
  assertAlmostEquals(rows[0].hi as number, 0.9 + 0.24844, 1e-5);
  assertEquals([rows[0].trained, rows[0].vs_chance], [true, "above"]);
  assertAlmostEquals(rows[0].chance as number, 0.1, 1e-12);
  // level 2: all seeds exactly at chance: a zero-width interval that touches chance
  assertEquals([rows[1].trained, rows[1].vs_chance], [false, "overlaps"]);
  assertAlmostEquals(rows[1].mean as number, 0.1, 1e-12);
  assertEquals(lossTable(runs).numRows(), 6);
});

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
