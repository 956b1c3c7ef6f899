import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  answerDistribution,
  ArithmeticSettingsSchema,
  chanceLevel,
  checkScratchpad,
  generateArithmetic,
  makeProblem,
  noisyChainPass,
  parseCompletion,
  parsePrompt,
  promptProbability,
  sequenceLength,
  verifyAnswer,
} from "./arithmetic.ts";
import { Rng } from "../core/rng.ts";
import { encode } from "./tokenizer.ts";
import { LabError } from "../core/errors.ts";

const ALL = ArithmeticSettingsSchema.parse({});
const PM = ArithmeticSettingsSchema.parse({ ops: ["+", "-"] });

// [operands, ops, steps, prompt, target] worked by hand, left to right mod 10.
const problems: [number[], ("+" | "-" | "*")[], number[], string, string][] = [
  [[3, 4, 2, 1], ["+", "*", "-"], [7, 4, 3], "^3+4*2-1=", "3+4=7;7*2=4;4-1=3>3$"],
  [[9, 9], ["-"], [0], "^9-9=", "9-9=0>0$"],
  [[2, 7], ["-"], [5], "^2-7=", "2-7=5>5$"], // -5 mod 10 = 5
  [[0, 9, 9], ["-", "-"], [1, 2], "^0-9-9=", "0-9=1;1-9=2>2$"],
  [[8, 7, 5], ["*", "*"], [6, 0], "^8*7*5=", "8*7=6;6*5=0>0$"],
];
for (const [operands, ops, steps, prompt, target] of problems) {
  Deno.test(`makeProblem ${prompt} -> ${target}`, () => {
    const p = makeProblem(operands, ops, true);
    assertEquals([p.steps, p.prompt, p.target, p.answer], [steps, prompt, target, steps.at(-1)]);
    assertEquals(makeProblem(operands, ops, false).target, `>${steps.at(-1)}$`);
  });
}

Deno.test("sequenceLength counts BOS, expression, '=', scratchpad, '>', answer, EOS", () => {
  const p = makeProblem([3, 4, 2, 1], ["+", "*", "-"], true);
  assertEquals(sequenceLength(3, ALL), encode(p.prompt + p.target).length);
  assertEquals(sequenceLength(16, ALL), 133); // 35 prompt + 16*5 + 15 ";" + 3
  assertEquals(
    sequenceLength(3, { ...ALL, scratchpad: false }),
    encode(makeProblem([3, 4, 2, 1], ["+", "*", "-"], false).prompt + ">3$").length,
  );
});

Deno.test("generator is deterministic per seed and respects level and op set", () => {
  const a = generateArithmetic(new Rng(1), 5, PM), b = generateArithmetic(new Rng(1), 5, PM);
  assertEquals(a, b);
  assertEquals(a.ops.length, 5);
  assertEquals(a.ops.every((o) => o !== "*"), true);
  assertThrows(() => generateArithmetic(new Rng(1), 17, ALL), LabError, "1..16");
  assertThrows(() => generateArithmetic(new Rng(1), 0, ALL), LabError, "1..16");
  const c = generateArithmetic(new Rng(2), 5, PM);
  assertEquals(c.prompt === a.prompt, false); // another seed, another problem
});

Deno.test("generated problems agree with makeProblem and parsePrompt", () => {
  const rng = new Rng(3);
  for (let level = 1; level <= 16; level++) {
    const p = generateArithmetic(rng, level, ALL);
    assertEquals(parsePrompt(p.prompt), { operands: p.operands, ops: p.ops });
    assertEquals(makeProblem(p.operands, p.ops, true), p);
  }
  assertEquals([parsePrompt("^3="), parsePrompt("3+4="), parsePrompt("^3+4"), parsePrompt("^3/4=")], [
    null,
    null,
    null,
    null,
  ]);
});

Deno.test("promptProbability: 1/300 at level 1 with + - *, 1/(10^3 * 4) at level 2 with + -", () => {
  assertAlmostEquals(promptProbability({ ops: ["*"] }, ALL), 1 / 300, 1e-15);
  assertAlmostEquals(promptProbability({ ops: ["+", "-"] }, PM), 1 / 4000, 1e-15);
  assertEquals(promptProbability({ ops: ["*"] }, PM), 0);
});

const st = (input: number, op: "+" | "-" | "*", operand: number, result: number) => ({
  input,
  op,
  operand,
  result,
});
const parses: [string, ReturnType<typeof parseCompletion>][] = [
  ["3+4=7;7*2=4>4$", { steps: [st(3, "+", 4, 7), st(7, "*", 2, 4)], answer: 4, wellFormed: true }],
  [">3$", { steps: [], answer: 3, wellFormed: true }],
  ["3+4=7>7", { steps: [st(3, "+", 4, 7)], answer: 7, wellFormed: false }],
  ["3+4=7;7*2=44>3$", { steps: null, answer: 3, wellFormed: false }],
  ["3+4=7;*2=4>4$", { steps: null, answer: 4, wellFormed: false }],
  ["3+4=7;7*2=4", { steps: [st(3, "+", 4, 7), st(7, "*", 2, 4)], answer: null, wellFormed: false }],
  ["1-1=0>$", { steps: [st(1, "-", 1, 0)], answer: null, wellFormed: false }],
  ["", { steps: [], answer: null, wellFormed: false }],
  // text after the first EOS is ignored (generation stops there)
  ["3+4=7>7$9;;x", { steps: [st(3, "+", 4, 7)], answer: 7, wellFormed: true }],
  ["3+4=7>7$$", { steps: [st(3, "+", 4, 7)], answer: 7, wellFormed: true }],
  ["$", { steps: [], answer: null, wellFormed: false }],
  [">>3$", { steps: [], answer: null, wellFormed: false }],
  ["3+4=7;>7$", { steps: null, answer: 7, wellFormed: false }],
  ["7;4;3>3$", { steps: null, answer: 3, wellFormed: false }], // bare results are not this format
];
for (const [text, want] of parses) {
  Deno.test(`parseCompletion ${JSON.stringify(text)}`, () => assertEquals(parseCompletion(text), want));
}

Deno.test("verifyAnswer and checkScratchpad catch detached and copied answers", () => {
  const p = makeProblem([3, 4, 2, 1], ["+", "*", "-"], true); // steps 7,4,3; last operand 1
  assertEquals(verifyAnswer(p, "3+4=7;7*2=4;4-1=3>3$"), true);
  assertEquals(verifyAnswer(p, "3+4=7;7*2=4;4-1=2>2$"), false);
  assertEquals(checkScratchpad(p, "3+4=7;7*2=4;4-1=3>3$"), {
    wellFormed: true,
    expectedSteps: 3,
    writtenSteps: 3,
    restatedSteps: 3,
    carriedSteps: 3,
    correctSteps: 3,
    locallyRightSteps: 3,
    allCorrect: true,
    answerMatchesLastStep: true,
    copiesLastOperand: false,
  });
  const detached = checkScratchpad(p, "3+4=7;7*2=4;4-1=3>1$");
  assertEquals([detached.answerMatchesLastStep, detached.copiesLastOperand, detached.allCorrect], [
    false,
    true,
    true,
  ]);
  const misread = checkScratchpad(p, "3+4=7;7*3=4;4-1=3>3$"); // wrong operand restated, results right
  assertEquals([misread.restatedSteps, misread.correctSteps, misread.allCorrect], [2, 3, false]);
  const dropped = checkScratchpad(p, "3+4=7;5*2=4;4-1=3>3$"); // step 2 does not carry 7
  assertEquals([dropped.carriedSteps, dropped.allCorrect], [2, false]);
  const skipped = checkScratchpad(p, ">3$");
  assertEquals([skipped.writtenSteps, skipped.allCorrect, verifyAnswer(p, ">3$")], [0, false, true]);
});

Deno.test("answer distributions sum to 1 at every level for every op set", () => {
  for (const ops of [["+"], ["-"], ["*"], ["+", "-"], ["+", "-", "*"], ["+", "+", "*"]] as const) {
    const settings = ArithmeticSettingsSchema.parse({ ops });
    for (let level = 1; level <= 16; level++) {
      assertAlmostEquals(answerDistribution(level, settings).reduce((a, b) => a + b), 1, 1e-12);
    }
  }
});

Deno.test("answer distribution: exactly uniform with + and -", () => {
  for (const level of [1, 2, 7, 16]) {
    answerDistribution(level, PM).forEach((p) => assertAlmostEquals(p, 0.1, 1e-12));
  }
  assertEquals(chanceLevel(4, PM).constantGuess.toFixed(12), (0.1).toFixed(12));
});

Deno.test("answer distribution with *: hand-computed level 1 and the drift toward 0", () => {
  // Level 1 with ops {+,-,*}: + and - give uniform answers (2/3 of the mass, 1/15 each);
  // a*b mod 10 = 0 for 27 of 100 pairs, so P(0) = 2/30 + 27/300 = 0.156667.
  const d = answerDistribution(1, ALL);
  assertAlmostEquals(d[0], 2 / 30 + 27 / 300, 1e-12);
  // 5 appears in 9 products (odd * 5 and 5 * odd): P(5) = 2/30 + 9/300.
  assertAlmostEquals(d[5], 2 / 30 + 9 / 300, 1e-12);
  assertAlmostEquals(d.reduce((a, b) => a + b), 1, 1e-12);
  const MUL = ArithmeticSettingsSchema.parse({ ops: ["*"] });
  // a*b mod 10 over 100 pairs: 0 for 27 pairs; 5 for 9 (5*odd, odd*5); each of 2,4,6,8 for 12
  // (48 non-zero even products, permuted by the units); each of 1,3,7,9 for 4 (16 unit*unit pairs).
  const only = answerDistribution(1, MUL);
  [0.27, 0.04, 0.12, 0.04, 0.12, 0.09, 0.12, 0.04, 0.12, 0.04].forEach((p, d) =>
    assertAlmostEquals(only[d], p, 1e-12)
  );
  // Level 2: P(v*b = 0) is 1 for v = 0, 2/10 for v even (b = 0, 5), 5/10 for v = 5 (b even),
  // 1/10 for v a unit (b = 0): 0.27 + 0.48 * 0.2 + 0.09 * 0.5 + 0.16 * 0.1 = 0.427.
  assertAlmostEquals(answerDistribution(2, MUL)[0], 0.427, 1e-12);
  assertEquals(chanceLevel(2, MUL), {
    constantGuess: answerDistribution(2, MUL)[0],
    mode: 0,
    uniformGuess: 0.1,
  });
  const c16 = chanceLevel(16, ALL);
  assertEquals(c16.mode, 0);
  assertEquals(c16.constantGuess > chanceLevel(1, ALL).constantGuess, true);
});

Deno.test("checkScratchpad: a wrong step carried on is one local error (per-step accuracy 2/3)", () => {
  const p = makeProblem([3, 4, 2, 1], ["+", "*", "-"], true); // steps 7,4,3
  // step 1 wrong (8), steps 2-3 right given what was written: 8*2=6, 6-1=5
  const c = checkScratchpad(p, "3+4=8;8*2=6;6-1=5>5$");
  assertEquals([c.correctSteps, c.locallyRightSteps, c.carriedSteps], [0, 2, 3]);
  // a missing step counts as not right: 1 of 3
  assertEquals(checkScratchpad(p, "3+4=7>7$").locallyRightSteps, 1);
});

Deno.test("makeProblem with wrong-step offsets writes a noisy derivation but keeps the true answer", () => {
  const p = makeProblem([3, 4, 2, 1], ["+", "*", "-"], true, [1, 0, 0]); // 3+4 written as 8
  assertEquals(p.target, "3+4=8;8*2=6;6-1=5>5$");
  assertEquals([p.steps, p.answer], [[7, 4, 3], 3]);
  assertEquals(makeProblem([9, 9], ["-"], true, [9]).target, "9-9=9>9$"); // 0 + 9
});

Deno.test("step_noise: absent keeps the exact sample stream; on, the share of wrong steps matches it", () => {
  const a = new Rng(4), b = new Rng(4);
  const zero = ArithmeticSettingsSchema.parse({ ops: ["+", "-"], step_noise: 0 });
  for (let i = 0; i < 20; i++) {
    assertEquals(generateArithmetic(a, 5, PM), generateArithmetic(b, 5, zero));
  }
  assertEquals("step_noise" in PM, false); // absent stays absent: cache keys of existing configs unchanged
  const noisy = ArithmeticSettingsSchema.parse({ ops: ["+", "-"], step_noise: 0.2 });
  const rng = new Rng(1);
  let wrong = 0, steps = 0, rightAnswers = 0;
  for (let i = 0; i < 2000; i++) {
    const p = generateArithmetic(rng, 4, noisy);
    const c = checkScratchpad(p, p.target);
    wrong += c.expectedSteps - c.locallyRightSteps;
    steps += c.expectedSteps;
    if (verifyAnswer(p, p.target)) rightAnswers++;
    assertEquals(c.writtenSteps, 4);
  }
  assertAlmostEquals(wrong / steps, 0.2, 0.015); // 8000 steps: sd 0.0045
  assertAlmostEquals(rightAnswers / 2000, noisyChainPass(4, 0.2), 0.03);
  assertThrows(() => ArithmeticSettingsSchema.parse({ step_noise: 1.5 }));
});

// [level, step error, exact pass] by hand: P(k errors) x q_k, q = 1, 0, 1/9, 8/81, ...
const chains: [number, number, number][] = [
  [1, 0.2, 0.8], // one error cannot cancel
  [2, 0.2, 0.64 + 0.04 / 9], // both wrong and cancelling: 0.2^2 x 1/9
  [3, 0.1, 0.729 + 3 * 0.01 * 0.9 / 9 + 0.001 * 8 / 81],
  [5, 0, 1],
];
for (const [level, e, want] of chains) {
  Deno.test(`noisyChainPass(${level}, ${e})`, () =>
    assertAlmostEquals(noisyChainPass(level, e), want, 1e-12));
}
Deno.test("noisyChainPass tends to chance 0.1 on long chains", () => {
  assertAlmostEquals(noisyChainPass(16, 0.9), 0.1, 1e-3);
});
