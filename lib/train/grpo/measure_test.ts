import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { LabError } from "../../core/errors.ts";
import type { CompletionFacts } from "../../tasks/completion_facts.ts";
import { answerEntropy, levelMeasures, MEASURE_NAMES, measureKey, modalShare, perLevel } from "./measure.ts";

const f = (answer: string | null, over: Partial<CompletionFacts> = {}): CompletionFacts => ({
  answer,
  wellFormed: true,
  validScratchpad: true,
  stepShare: 1,
  copiesLastOperand: false,
  stepAccuracy: 1,
  ...over,
});

Deno.test("levelMeasures: every measure of one level, computed by hand", () => {
  // Four greedy completions: answers 5, 5, 2, none; one right; one copies the last operand.
  const m = levelMeasures(
    [true, false, false, false],
    [
      f("5"),
      f("5", { validScratchpad: false, stepShare: 0.5, stepAccuracy: 0.5 }),
      f("2", { copiesLastOperand: true, validScratchpad: false, stepAccuracy: 0.75 }),
      f(null, { wellFormed: false, validScratchpad: false, stepShare: 0, stepAccuracy: 0 }),
    ],
    // Three sampled groups of 4: 4/4, 1/4, 0/4 right.
    [[true, true, true, true], [true, false, false, false], [false, false, false, false]],
    // the samples' facts: per-step accuracies 1, 0.5, 0 (others as f's default 1 would skew: give three)
    [f("1"), f("2", { stepAccuracy: 0.5 }), f("3", { stepAccuracy: 0 })],
  );
  // greedy per-step accuracy (1 + 0.5 + 0.75 + 0) / 4; sampled (1 + 0.5 + 0) / 3
  assertEquals([m.step_acc, m.samp_step_acc], [0.5625, 0.5]);
  assertEquals(m.pass, 0.25);
  // answers {5: 2, 2: 1, none: 1}: H = 0.5 log2 2 + 2 * 0.25 log2 4 = 1.5 bits; modal share 2/4
  assertAlmostEquals(m.ent, 1.5, 1e-12);
  assertEquals([m.rep, m.copy, m.valid, m.fmt], [0.5, 0.25, 0.25, 0.75]);
  assertEquals(m.len, (1 + 0.5 + 1 + 0) / 4);
  // group rates 1, 0.25, 0: mean 0.4167; only the middle group has variance; p(1-p) = 0, 0.1875, 0
  assertAlmostEquals(m.samp, 1.25 / 3, 1e-12);
  assertAlmostEquals(m.var, 1 / 3, 1e-12);
  assertAlmostEquals(m.pq, 0.1875 / 3, 1e-12);
  assertEquals(Object.keys(m).sort(), [...MEASURE_NAMES].sort());
});

Deno.test("levelMeasures: no completions and no groups give zeros, not NaN", () => {
  const m = levelMeasures([], [], [], []);
  assertEquals(MEASURE_NAMES.map((k) => m[k]), MEASURE_NAMES.map(() => 0));
});

Deno.test("answer entropy: uniform over 4 answers is 2 bits, a constant answer 0, missing answers are one symbol", () => {
  assertAlmostEquals(answerEntropy(["1", "2", "3", "4"]), 2, 1e-12);
  assertEquals(answerEntropy(["7", "7", "7"]), 0);
  assertAlmostEquals(answerEntropy([null, null, "1", "2"]), 1.5, 1e-12);
});

Deno.test("modal share is the most frequent answer's share", () => {
  assertEquals(modalShare(["1", "1", "2", "1"]), 0.75);
  assertEquals(modalShare([]), 0);
});

Deno.test("perLevel reads NAME_L{level}; a missing or renamed key is an error, not NaN", () => {
  const rec = { step: 20, [measureKey("samp", 1)]: 0.5, [measureKey("samp", 2)]: 0.25, pass_L1: 1 };
  assertEquals(perLevel(rec, "samp", [1, 2]), [0.5, 0.25]);
  const e = assertThrows(() => perLevel(rec, "pass", [1, 2]), LabError);
  assertEquals(e.message.startsWith("metrics record at step 20 has no number 'pass_L2'"), true);
});
