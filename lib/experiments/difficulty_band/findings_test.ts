import { assertStringIncludes } from "@std/assert";
import { changeTable, luckTable, measurementTable, perStepTable } from "./tables.ts";
import { bandFindings } from "./findings.ts";
import { learningTable } from "./learning.ts";
import { fakeRun, measured, runs } from "./testdata/fake_runs.ts";

const findings = (all: typeof runs) => {
  const perStep = perStepTable(measurementTable(all), [1]);
  return bandFindings(changeTable(perStep), perStep, luckTable(all), [1], learningTable(all));
};

// A uniform curriculum that learned: sampled pass and reward up in three seeds; its band centre moved up
// (variance 0.5 at L1 only -> at L2 only: centre 1 -> 2 in every seed).
const learner = (seed: number, gain: number) =>
  fakeRun("uniform", seed, [
    measured(0, [0.8, 0.2], [0.5, 0], [3, 3]),
    { step: 1, reward: 0.3 },
    { step: 2, reward: 0.3 },
    { step: 3, reward: 0.4 + gain },
    { step: 4, reward: 0.5 + gain },
    measured(4, [0.9, 0.3 + gain], [0, 0.5], [3, 3]),
  ]);
const learners = [learner(0, 0), learner(1, 0.05), learner(2, 0.1)];

Deno.test("findings quote the numbers; with no learner run, a null is 'cannot decide', never 'not reproduced'", () => {
  const text = findings(runs);
  assertStringIncludes(
    text,
    "Over-hard only: -0.30 [-1.57, +0.97] at step 2. No measurable loss: **cannot decide at this scale**",
  );
  assertStringIncludes(text, "answer entropy across problems (bits) -1.50");
  assertStringIncludes(
    text,
    "1.00 [1.00, 1.00] groups per step had a single success; 0.50 [0.50, 0.50] of those came from an invalid scratchpad",
  );
  assertStringIncludes(text, "no band-learning condition was run");
  // the over-hard fakes train on both levels: step-0 sampled pass (1 + 0.3) / 2
  assertStringIncludes(text, "Over-hard levels 1-2 (start pass at the training temperature 0.65)");
});

Deno.test("findings: a curriculum that learned gets a drift verdict, and the nulls become 'not reproduced'", () => {
  const text = findings([...runs, ...learners]);
  assertStringIncludes(text, "uniform over all levels +1.00 levels");
  assertStringIncludes(text, "the band moved to longer problems under 1: **supports**");
  assertStringIncludes(text, "No measurable loss: **not reproduced** at this scale");
});

Deno.test("findings: a learner that did not learn gets no drift verdict", () => {
  // reward flat: the learning check fails even though pass rose
  const flat = [0, 1, 2].map((seed) =>
    fakeRun("uniform", seed, [
      measured(0, [0.8, 0.2], [0.5, 0], [3, 3]),
      { step: 1, reward: 0.3 },
      { step: 2, reward: 0.3 + seed / 100 },
      measured(2, [0.9, 0.4], [0, 0.5], [3, 3]),
    ])
  );
  const text = findings([...runs, ...flat]);
  assertStringIncludes(text, "**Cannot decide: no curriculum learned at this scale**");
});
