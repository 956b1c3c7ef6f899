import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { makeTask, TaskSettingsSchema } from "./task.ts";
import { Rng } from "../core/rng.ts";
import { encode } from "./tokenizer.ts";
import { LabError } from "../core/errors.ts";

const arith = makeTask(TaskSettingsSchema.parse({ family: "arithmetic" }));
const prec = makeTask(TaskSettingsSchema.parse({ family: "precedent" }));

Deno.test("levels and sequence lengths of both families", () => {
  assertEquals(arith.levels, [...Array(16).keys()].map((i) => i + 1));
  assertEquals(arith.sequenceLength(16), 133);
  assertEquals(prec.levels, [1, 2, 3, 4, 5]);
  assertEquals([prec.sequenceLength(1), prec.sequenceLength(5)], [10, 10]);
  const short = makeTask(TaskSettingsSchema.parse({ family: "precedent", max_level: 3 }));
  assertEquals(short.levels, [1, 2, 3]);
});

Deno.test("samples are deterministic per seed, fit their length, and verify their own target", () => {
  for (const task of [arith, prec]) {
    for (const level of task.levels) {
      const a = task.sample(new Rng(level), level), b = task.sample(new Rng(level), level);
      assertEquals(a, b);
      assertEquals([a.family, a.level], [task.family, level]);
      assertEquals(encode(a.prompt + a.target).length, task.sequenceLength(level));
      assertEquals(task.verify(a, a.target), true);
      assertEquals(task.verify(a, "junk"), false);
    }
  }
});

Deno.test("verify reads only the answer: arithmetic '>d$', precedent the label", () => {
  const ex = { answer: "3" };
  assertEquals([arith.verify(ex, ">3$"), arith.verify(ex, "1+2=3>3"), arith.verify(ex, ">4$")], [
    true,
    true,
    false,
  ]);
  assertEquals([prec.verify({ answer: "C" }, "C$"), prec.verify({ answer: "C" }, "CC$")], [true, false]);
});

Deno.test("out-of-range levels are LabErrors", () => {
  assertThrows(() => arith.sample(new Rng(0), 0), LabError, "1..16");
  assertThrows(() => prec.sample(new Rng(0), 6), LabError, "1..5");
});

Deno.test("settings are validated per family", () => {
  assertThrows(() => TaskSettingsSchema.parse({ family: "arithmetic", ops: [] }));
  assertThrows(() => TaskSettingsSchema.parse({ family: "precedent", ops: ["+"] }));
  assertThrows(() => TaskSettingsSchema.parse({ family: "sorting" }));
});

// The facts of completions of "^3+4-2=" (answer 5): [completion, answer, wellFormed, validScratchpad, stepShare, copiesLastOperand].
const factCases: [string, string | null, boolean, boolean, number, boolean][] = [
  ["3+4=7;7-2=5>5$", "5", true, true, 1, false],
  [">5$", "5", true, false, 0, false], // skipped computation: right answer, no scratchpad
  ["3+4=7;7-2=5>2$", "2", true, false, 1, true], // detached: a correct chain, another answer (the last operand)
  ["3+4=8;8-2=5>5$", "5", true, false, 1, false], // lucky: a wrong step, the right answer
  ["3+4=7>7$", "7", true, false, 0.5, false], // half the steps written
  ["3+4=7;7-", null, false, false, 0, false], // cut off
];
for (const [completion, answer, wellFormed, valid, stepShare, copies] of factCases) {
  Deno.test(`arithmetic facts of ${JSON.stringify(completion)}`, () => {
    const f = arith.facts({ prompt: "^3+4-2=" }, completion);
    assertEquals([f.answer, f.wellFormed, f.validScratchpad, f.stepShare, f.copiesLastOperand], [
      answer,
      wellFormed,
      valid,
      stepShare,
      copies,
    ]);
  });
}

Deno.test("precedent facts: the label before EOS; no scratchpad", () => {
  assertEquals(prec.facts({ prompt: "^aeimbf?" }, "C$"), {
    answer: "C",
    wellFormed: true,
    validScratchpad: false,
    stepShare: 0,
    copiesLastOperand: false,
    stepAccuracy: 0,
  });
  assertEquals([prec.facts({ prompt: "" }, "C").wellFormed, prec.facts({ prompt: "" }, "$").answer], [
    false,
    null,
  ]);
});

Deno.test("reward: 1 for the right answer plus the format weight for a well-formed completion", () => {
  const ex = { prompt: "^3+4-2=", answer: "5" };
  // [completion, reward with format weight 0.25]: right and well formed, right but cut, wrong and well formed, junk
  const rows: [string, number][] = [["3+4=7;7-2=5>5$", 1.25], ["3+4=7;7-2=5>5", 1], [">2$", 0.25], ["x", 0]];
  for (const [completion, want] of rows) assertEquals(arith.reward(ex, completion, 0.25), want, completion);
  assertEquals(arith.reward(ex, ">5$"), 1); // format weight 0 by default
  assertEquals(prec.reward({ prompt: "^aeimbf?", answer: "C" }, "C$", 0.5), 1.5);
});

Deno.test("chance is the task's exact best constant guess", () => {
  const pm = makeTask(TaskSettingsSchema.parse({ family: "arithmetic", ops: ["+", "-"] }));
  for (const level of [1, 4, 8]) assertAlmostEquals(pm.chance(level), 0.1, 1e-15); // uniform answers
  // with *, level 1: a * b mod 10 is 0 for 27 of 100 pairs, + and - uniform: (0.1 + 0.1 + 0.27) / 3
  assertAlmostEquals(arith.chance(1), 0.47 / 3, 1e-15);
  assertEquals(prec.chance(3), 1 / 8);
});
