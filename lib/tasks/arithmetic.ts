/**
 * Chained modular arithmetic (DESIGN.md, analyses 1 and 2): `a op b op c ... =`
 * over digits, evaluated left to right mod 10. Difficulty = number of
 * operations (1..16). The target is a scratchpad of running results in which
 * every step is written out in full, "previous op operand = result", then ">",
 * the answer and EOS: prompt "^3+4*2-1=", target "3+4=7;7*2=4;4-1=3>3$"
 * (no scratchpad: ">3$"). Every step is then the same local computation as a
 * level-1 problem, on inputs copied from the step before and from the prompt;
 * difficulty grows with chain length through error accumulation and longer
 * sequences, not through a new skill per level. (With bare results, "7;4;3",
 * or with only op and operand restated, a 2-layer model learned step 1 and
 * stayed at chance on later steps.) The answer repeats the last running
 * result, so a model that detaches its answer from its scratchpad is visible.
 *
 * Chance is exact: `answerDistribution` propagates the running value's
 * distribution through the chain (a Markov chain over 10 states), so a level's
 * best constant guess is known. With "*" the mass drifts toward 0; with only
 * "+" and "-" every level is uniform (DESIGN.md: "make chance uniform").
 */
import { z } from "zod";
import type { Rng } from "../core/rng.ts";
import { LabError } from "../core/errors.ts";
import { type CompletionFacts, NO_SCRATCHPAD } from "./completion_facts.ts";

export const OPS = ["+", "-", "*"] as const;
export type Op = typeof OPS[number];
export const MAX_LEVEL = 16;

export const ArithmeticSettingsSchema = z.strictObject({
  ops: z.array(z.enum(OPS)).min(1).default(["+", "-", "*"]),
  scratchpad: z.boolean().default(true),
  /**
   * Probability that a scratchpad step of a generated *target* is wrong (noisy demonstrations: the
   * step's result is replaced by one of the 9 wrong digits, uniformly, later steps carry the wrong
   * value on and the written answer repeats the last step). The example's `answer` stays the true
   * one, so verifiers and rewards are unchanged. Optional: absent = 0 (no extra draws), so existing
   * configs keep their cache keys and their samples.
   */
  step_noise: z.number().min(0).max(1).optional(),
});
export type ArithmeticSettings = z.output<typeof ArithmeticSettingsSchema>;

export interface ArithmeticProblem {
  level: number;
  operands: number[];
  ops: Op[];
  steps: number[];
  answer: number;
  prompt: string;
  target: string;
}

/** Apply one operation mod 10. */
export function applyOp(a: number, op: Op, b: number): number {
  const r = op === "+" ? a + b : op === "-" ? a - b : a * b;
  return ((r % 10) + 10) % 10;
}

/**
 * Build the problem for given operands and ops (used by the generator and parsers). `wrong[i]`, when
 * given, is a non-zero offset (1..9) added to step i's written result: the target then shows a noisy
 * derivation (later steps carry the written value on) while `steps` and `answer` stay the true ones.
 */
export function makeProblem(
  operands: number[],
  ops: Op[],
  scratchpad: boolean,
  wrong?: readonly number[],
): ArithmeticProblem {
  const steps: number[] = [];
  let v = operands[0];
  ops.forEach((op, i) => {
    v = applyOp(v, op, operands[i + 1]);
    steps.push(v);
  });
  let expr = String(operands[0]);
  ops.forEach((op, i) => (expr += op + operands[i + 1]));
  const written: number[] = [];
  ops.forEach((op, i) => {
    const input = i === 0 ? operands[0] : written[i - 1];
    written.push((applyOp(input, op, operands[i + 1]) + (wrong?.[i] ?? 0)) % 10);
  });
  const stepText = written.map((r, i) =>
    `${i === 0 ? operands[0] : written[i - 1]}${ops[i]}${operands[i + 1]}=${r}`
  );
  const target = (scratchpad ? stepText.join(";") : "") + ">" + written[written.length - 1] + "$";
  return { level: ops.length, operands, ops, steps, answer: v, prompt: `^${expr}=`, target };
}

/** Operands and ops of a prompt ("^3+4*2="), or null if it is not one. */
export function parsePrompt(prompt: string): { operands: number[]; ops: Op[] } | null {
  const m = /^\^([0-9](?:[-+*][0-9])+)=$/.exec(prompt);
  if (!m) return null;
  const chars = [...m[1]];
  return {
    operands: chars.filter((_, i) => i % 2 === 0).map(Number),
    ops: chars.filter((_, i) => i % 2 === 1) as Op[],
  };
}

/** Probability that one draw at the problem's level produces exactly its prompt. */
export function promptProbability(problem: { ops: Op[] }, settings: ArithmeticSettings): number {
  let p = 10 ** -(problem.ops.length + 1);
  for (const op of problem.ops) p *= settings.ops.filter((o) => o === op).length / settings.ops.length;
  return p;
}

/** A random problem with `level` operations; operands and ops uniform. */
export function generateArithmetic(rng: Rng, level: number, settings: ArithmeticSettings): ArithmeticProblem {
  if (!Number.isInteger(level) || level < 1 || level > MAX_LEVEL) {
    throw new LabError(`arithmetic level must be 1..${MAX_LEVEL}, got ${level}`, "pick a level in range");
  }
  const operands = [rng.int(10)];
  const ops: Op[] = [];
  for (let i = 0; i < level; i++) {
    ops.push(settings.ops[rng.int(settings.ops.length)]);
    operands.push(rng.int(10));
  }
  const noise = settings.step_noise ?? 0;
  // Draws only when noise is on, so noise-free settings keep their exact sample streams.
  const wrong = noise > 0 && settings.scratchpad
    ? ops.map(() => (rng.float() < noise ? 1 + rng.int(9) : 0))
    : undefined;
  return makeProblem(operands, ops, settings.scratchpad, wrong);
}

/**
 * Exact pass rate of a chain of `level` steps when each step is independently wrong with probability
 * `stepError` and a wrong step adds a uniform non-zero offset mod 10 (as `step_noise` does, and as + and -
 * chains propagate an error): P(k wrong steps) x P(k uniform offsets in 1..9 sum to 0 mod 10), where
 * that sum is 1 for k = 0 and (1 - q(k-1)) / 9 after. For small k it is (1 - e)^L, the geometric
 * expectation, plus the chance that errors cancel; for long chains it tends to 0.1.
 */
export function noisyChainPass(level: number, stepError: number): number {
  let q = 1, total = 0, binom = 1;
  for (let k = 0; k <= level; k++) {
    if (k > 0) {
      q = (1 - q) / 9;
      binom = binom * (level - k + 1) / k;
    }
    total += binom * stepError ** k * (1 - stepError) ** (level - k) * q;
  }
  return total;
}

/** Tokens of prompt + target at a level (BOS and EOS included). */
export function sequenceLength(level: number, settings: ArithmeticSettings): number {
  // prompt "^" + (2n+1) + "=", scratchpad n steps of 5 tokens + (n-1) ";", then ">" digit "$"
  return 2 * level + 3 + (settings.scratchpad ? 6 * level - 1 : 0) + 3;
}

export interface ParsedStep {
  input: number;
  op: Op;
  operand: number;
  result: number;
}

export interface ParsedCompletion {
  /** The scratchpad's steps, or null when any step is malformed. */
  steps: ParsedStep[] | null;
  answer: number | null;
  wellFormed: boolean;
}

const STEP = /^([0-9])([-+*])([0-9])=([0-9])$/;

/**
 * Parse what a model wrote after the prompt ("3+4=7;7*2=4>4$"), tolerant of
 * junk: text after the first "$" is ignored (generation stops at EOS); a
 * malformed step nulls `steps`, a missing or non-digit answer nulls `answer`.
 * Well formed = steps, ">", one digit, "$".
 */
export function parseCompletion(text: string): ParsedCompletion {
  const eos = text.indexOf("$");
  const body = eos >= 0 ? text.slice(0, eos) : text;
  const gt = body.indexOf(">");
  const answerText = gt >= 0 ? body.slice(gt + 1) : "";
  const answer = /^[0-9]$/.test(answerText) ? Number(answerText) : null;
  const stepText = gt >= 0 ? body.slice(0, gt) : body;
  const parts = stepText === "" ? [] : stepText.split(";").map((p) => STEP.exec(p));
  const steps = parts.every((m) => m !== null)
    ? parts.map((m) => ({
      input: Number(m![1]),
      op: m![2] as Op,
      operand: Number(m![3]),
      result: Number(m![4]),
    }))
    : null;
  const wellFormed = eos >= 0 && gt >= 0 && answer !== null && steps !== null;
  return { steps, answer, wellFormed };
}

/** Exact match on the final answer. */
export function verifyAnswer(problem: { answer: number }, completion: string): boolean {
  return parseCompletion(completion).answer === problem.answer;
}

export interface ScratchpadCheck {
  wellFormed: boolean;
  expectedSteps: number;
  writtenSteps: number;
  /** Steps whose op and operand restate the problem's i-th operation. */
  restatedSteps: number;
  /** Steps whose input is the previous written result (the first operand for step 1). */
  carriedSteps: number;
  /** Steps whose result is the true running value after operation i. */
  correctSteps: number;
  /** Steps (among the first `expectedSteps`) that restate operation i, carry the previous written result and compute it right. */
  locallyRightSteps: number;
  allCorrect: boolean;
  /** Answer equals the last written step (false = detached scratchpad). */
  answerMatchesLastStep: boolean;
  /** Answer equals the last operand (a copying shortcut). */
  copiesLastOperand: boolean;
}

/** Step-by-step check of a completion's scratchpad against the problem. */
export function checkScratchpad(problem: ArithmeticProblem, completion: string): ScratchpadCheck {
  const p = parseCompletion(completion);
  const steps = p.steps ?? [];
  let correct = 0, restated = 0, carried = 0, local = 0;
  steps.forEach((s, i) => {
    if (s.result === problem.steps[i]) correct++;
    const restates = s.op === problem.ops[i] && s.operand === problem.operands[i + 1];
    const carries = s.input === (i === 0 ? problem.operands[0] : steps[i - 1].result);
    if (restates) restated++;
    if (carries) carried++;
    if (restates && carries && i < problem.steps.length && s.result === applyOp(s.input, s.op, s.operand)) {
      local++;
    }
  });
  const n = problem.steps.length;
  return {
    wellFormed: p.wellFormed,
    expectedSteps: n,
    writtenSteps: steps.length,
    restatedSteps: restated,
    carriedSteps: carried,
    correctSteps: correct,
    locallyRightSteps: local,
    allCorrect: p.wellFormed && steps.length === n && correct === n && restated === n && carried === n,
    answerMatchesLastStep: p.answer !== null && steps.length > 0 &&
      steps[steps.length - 1].result === p.answer,
    copiesLastOperand: p.answer !== null && p.answer === problem.operands[problem.operands.length - 1],
  };
}

/**
 * The facts of a completion for `prompt`: its answer, well-formedness, whether
 * the scratchpad is a valid derivation (every step restates the problem's
 * operation, carries the previous result and computes it right, and the answer
 * repeats the last step), the share of steps written, and whether the answer
 * copies the last operand.
 */
export function arithmeticFacts(prompt: string, completion: string): CompletionFacts {
  const parsed = parsePrompt(prompt);
  const p = parseCompletion(completion);
  const answer = p.answer === null ? null : String(p.answer);
  if (!parsed) return { answer, wellFormed: p.wellFormed, ...NO_SCRATCHPAD };
  const c = checkScratchpad(makeProblem(parsed.operands, parsed.ops, true), completion);
  return {
    answer,
    wellFormed: c.wellFormed,
    validScratchpad: c.allCorrect && c.answerMatchesLastStep,
    stepShare: c.writtenSteps / c.expectedSteps,
    copiesLastOperand: c.copiesLastOperand,
    stepAccuracy: c.locallyRightSteps / c.expectedSteps,
  };
}

/** Exact P(answer = d), d = 0..9, at a level with uniform operands and ops. */
export function answerDistribution(level: number, settings: ArithmeticSettings): number[] {
  let dist = new Array(10).fill(0.1);
  for (let i = 0; i < level; i++) {
    const next = new Array(10).fill(0);
    for (let v = 0; v < 10; v++) {
      for (const op of settings.ops) {
        for (let b = 0; b < 10; b++) next[applyOp(v, op, b)] += dist[v] / (10 * settings.ops.length);
      }
    }
    dist = next;
  }
  return dist;
}

/** Chance accuracy at a level: the best constant guess, and uniform guessing (0.1). */
export function chanceLevel(
  level: number,
  settings: ArithmeticSettings,
): { constantGuess: number; mode: number; uniformGuess: number } {
  const d = answerDistribution(level, settings);
  const mode = d.indexOf(Math.max(...d));
  return { constantGuess: d[mode], mode, uniformGuess: 0.1 };
}
