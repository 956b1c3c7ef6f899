import { assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { learnedConditions, learningCheck, type LearningRow, learningTable } from "./learning.ts";
import { fakeRun, measured } from "./testdata/fake_runs.ts";

// A static band that trains on L2 only (weights 0, 1) and improves there in both seeds, with rising reward;
// a uniform run whose pass on its levels falls in one seed and rises in the other.
const train = (rewards: number[]) => rewards.map((reward, i) => ({ step: i + 1, reward }));
const runs = [
  fakeRun("static_band", 0, [
    measured(0, [1, 0.3], [0, 0.5], [3, 3]),
    ...train([0.2, 0.3, 0.5, 0.6]),
    measured(4, [1, 0.5], [0, 0.5], [3, 3]),
  ], [0, 1]),
  fakeRun("static_band", 1, [
    measured(0, [1, 0.3], [0, 0.5], [3, 3]),
    ...train([0.1, 0.2, 0.4, 0.4]),
    measured(4, [1, 0.6], [0, 0.5], [3, 3]),
  ], [0, 1]),
  fakeRun("uniform", 0, [
    measured(0, [1, 0.3], [0, 0.5], [3, 3]),
    ...train([0.5, 0.5, 0.5, 0.5]),
    measured(4, [0.8, 0.3], [0, 0.5], [3, 3]),
  ]),
  fakeRun("uniform", 1, [
    measured(0, [1, 0.3], [0, 0.5], [3, 3]),
    ...train([0.5, 0.5, 0.5, 0.6]),
    measured(4, [1, 0.5], [0, 0.5], [3, 3]),
  ]),
];

Deno.test("learning table: paired changes on the condition's own levels, reward last quarter minus first", () => {
  const rows = learningTable(runs).objects() as LearningRow[];
  const get = (c: string, m: string) => rows.find((r) => r.condition === c && r.measure === m)!;
  const band = get("static_band", "sampled_pass");
  // L2 only: 0.3 -> 0.5 and 0.3 -> 0.6: changes 0.2, 0.3, mean 0.25, sd 0.0707, t(1) 12.706 x 0.05
  assertEquals(band.levels, "2");
  assertAlmostEquals(band.change, 0.25, 1e-12);
  assertAlmostEquals(band.lo, 0.25 - 12.706 * 0.05, 1e-4);
  // per-step accuracy of the fake is pass / 2 + 0.5: changes 0.1, 0.15
  assertAlmostEquals(get("static_band", "sampled_step").change, 0.125, 1e-12);
  // reward windows of one step: 0.6 - 0.2 and 0.4 - 0.1
  assertAlmostEquals(get("static_band", "reward").change, 0.35, 1e-12);
  assertEquals(get("uniform", "sampled_pass").levels, "1-2");
  // seeds whose curricula picked different levels are listed per seed
  const mixed = learningTable([runs[0], fakeRun("static_band", 1, runs[1].run.result.metrics, [1, 1])]);
  assertEquals((mixed.objects() as LearningRow[])[0].levels, "2 / 1-2");
  // uniform: (0.8 + 0.3) / 2 - 0.65 = -0.1 and (1 + 0.5) / 2 - 0.65 = +0.1
  assertAlmostEquals(get("uniform", "sampled_pass").change, 0, 1e-12);
});

Deno.test("learning check: passes only on intervals above zero, and says cannot decide when none learned", () => {
  const t = learningTable(runs);
  assertEquals([...learnedConditions(t)], [["static_band", false], ["uniform", false]]);
  // two seeds give wide t intervals: 0.25 +- 0.64 includes zero, so nothing learned
  const check = learningCheck(t);
  assertEquals(check.passed, false);
  assertStringIncludes(check.text, "**Cannot decide: no curriculum learned at this scale**");
  assertStringIncludes(check.text, "sampled pass 0.30 → 0.55 (+0.25 [-0.39, +0.89])");
  // a third seed like the first two narrows the interval above zero
  const more = [
    ...runs,
    fakeRun("static_band", 2, [
      measured(0, [1, 0.3], [0, 0.5], [3, 3]),
      ...train([0.2, 0.3, 0.4, 0.55]),
      measured(4, [1, 0.55], [0, 0.5], [3, 3]),
    ], [0, 1]),
  ];
  const ok = learningCheck(learningTable(more));
  assertEquals(ok.passed, true);
  assertStringIncludes(ok.text, "1 of 2 curricula learned");
});
