import { assertAlmostEquals, assertEquals } from "@std/assert";
import type { SftResult } from "../../train/sft.ts";
import type { CachedRun } from "../../core/run_cache.ts";
import { quickstartParams } from "./params.ts";
import type { QuickstartRun } from "./runs.ts";
import { completionTable, levelSummary, lossTable } from "./tables.ts";

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
  // level 1: mean 0.9, sd 0.1, half = 4.303 * 0.1 / sqrt(3) = 0.24844: [0.65156, 1.14844], shown clipped to 1
  assertAlmostEquals(rows[0].mean as number, 0.9, 1e-12);
  assertAlmostEquals(rows[0].lo as number, 0.9 - 0.24844, 1e-5);
  assertEquals(rows[0].hi, 1);
  assertEquals([rows[0].trained, rows[0].vs_chance], [true, "above"]);
  assertAlmostEquals(rows[0].chance as number, 0.1, 1e-12);
  // level 2: all seeds exactly at chance: a zero-width interval that touches chance
  assertEquals([rows[1].trained, rows[1].vs_chance], [false, "overlaps"]);
  assertAlmostEquals(rows[1].mean as number, 0.1, 1e-12);
  assertEquals(lossTable(runs).numRows(), 6);
});

Deno.test("completionTable: the first seed's greedy completions, one row each", () => {
  const run = fakeRun(4, { 1: 1 });
  (run.run.result as { samples: unknown[] }).samples = [
    { id: "a", level: 1, prompt: "^3+4=", completion: "3+4=7>7$", correct: true },
    { id: "b", level: 2, prompt: "^1+1-5=", completion: ">3$", correct: false },
  ];
  assertEquals(completionTable([run, fakeRun(5, { 1: 0 })]).objects(), [
    { level: 1, prompt: "^3+4=", completion: "3+4=7>7$", correct: true },
    { level: 2, prompt: "^1+1-5=", completion: ">3$", correct: false },
  ]);
});
