/**
 * Evaluation modes for any model (DESIGN.md analysis 2, as the OPHSD
 * reference reports reattachment):
 *  - "bare": one greedy call on the bare prompt;
 *  - "fresh": the harness with a bank that starts empty and is filled with
 *    each evaluation problem's true label after its prediction, problems in a
 *    seeded shuffled order (runs zero-shot until the bank holds `min_bank`);
 *  - "warm": the harness with the warm training bank.
 * Plan-solve has no bank: its one harness mode is "harness".
 *
 * Batching the fresh mode: a strictly sequential pass (bank grows by one
 * after each prediction) would be one call per problem. Instead problems run
 * in chunks whose size is at most the bank's current size (at least 1, at
 * most `batchSize`): chunks of 1, 1, 2, 4, 8, ... so every problem sees at
 * least half of the labels a sequential pass would have given it, in
 * O(log n + n / batchSize) batched rounds.
 *
 * Scores per level: accuracy (exact match) with a Wilson 95% interval, and
 * for labels the macro-F1 (lib/tasks/precedent.ts).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { freshChunks, modesFor } from "./evaluate.ts";
 * assertEquals(modesFor("draft_verify"), ["bare", "fresh", "warm"]);
 * assertEquals(freshChunks(20, 8), [1, 1, 2, 4, 8, 4]);
 * ```
 */
import { Rng } from "../core/rng.ts";
import { LabError } from "../core/errors.ts";
import type { Task } from "../tasks/task.ts";
import { macroF1 } from "../tasks/precedent.ts";
import { wilson } from "../stats/intervals.ts";
import { type HarnessModel, runCalls } from "./calls.ts";
import { cleanItem } from "./context.ts";
import { MemoryBank } from "./memory_bank.ts";
import type { Builder, Harness, HarnessName, HarnessResult, Problem } from "./types.ts";

export const MODES = ["bare", "harness", "fresh", "warm"] as const;
export type Mode = typeof MODES[number];

/** The modes a harness is evaluated in. */
export function modesFor(harness: HarnessName): Mode[] {
  return harness === "plan_solve" ? ["bare", "harness"] : ["bare", "fresh", "warm"];
}

/** Chunk sizes of a fresh-bank pass over n problems (see the module header). */
export function freshChunks(n: number, batchSize: number): number[] {
  const out: number[] = [];
  let seen = 0;
  while (seen < n) {
    const size = Math.min(batchSize, Math.max(1, seen), n - seen);
    out.push(size);
    seen += size;
  }
  return out;
}

/** Greedy bare calls, batched, as harness results (one "bare" call each). */
export function runBare(
  model: HarnessModel,
  task: Task,
  problems: readonly Problem[],
  batchSize = 128,
): HarnessResult[] {
  const out: HarnessResult[] = [];
  for (let s = 0; s < problems.length; s += batchSize) {
    const chunk = problems.slice(s, s + batchSize);
    const maxNew = Math.max(...chunk.map((p) => p.target.length)) + 2;
    const calls = runCalls(model, "bare", chunk.map((p) => p.prompt), maxNew);
    chunk.forEach((p, i) => {
      const answer = task.facts(p, calls[i].completion).answer;
      const body = cleanItem(calls[i].completion.split("$")[0]);
      out.push({
        problem: p,
        answer,
        correct: task.verify(p, calls[i].completion),
        calls: [calls[i]],
        teacher: { answer_like: [answer === null ? [] : [cleanItem(answer)]], trace: [[body]] },
        facts: {},
      });
    });
  }
  return out;
}

export interface EvaluateOptions {
  /** The warm training bank (needed for mode "warm"). */
  warmBank?: MemoryBank;
  /** Seed of the fresh mode's order. */
  seed?: number;
  batchSize?: number;
  builder?: Builder;
}

/** Results of one mode, in the problems' order. */
export function evaluateMode(
  model: HarnessModel,
  task: Task,
  harness: Harness,
  problems: readonly Problem[],
  mode: Mode,
  opts: EvaluateOptions = {},
): HarnessResult[] {
  const B = opts.batchSize ?? 128;
  if (!modesFor(harness.name).includes(mode)) {
    throw new LabError(
      `mode '${mode}' does not apply to ${harness.name}`,
      `use one of ${modesFor(harness.name).join(", ")}`,
    );
  }
  if (mode === "bare") return runBare(model, task, problems, B);
  const runOpts = { builder: opts.builder ?? "live" as const };
  if (mode === "harness") return batched(problems, B, (chunk) => harness.run(model, chunk, runOpts));
  const retriever = harness.retrieverFor?.(model);
  if (!retriever) throw new LabError(`${harness.name} has no bank to evaluate in mode '${mode}'`);
  try {
    if (mode === "warm") {
      if (!opts.warmBank) throw new LabError("mode 'warm' needs the warm training bank", "pass { warmBank }");
      const bank = opts.warmBank;
      return batched(problems, B, (chunk) => harness.run(model, chunk, { ...runOpts, bank, retriever }));
    }
    const order = new Rng(opts.seed ?? 0).fork("fresh-order").shuffle(problems.map((_, i) => i));
    const bank = new MemoryBank();
    const out = new Array<HarnessResult>(problems.length);
    let at = 0;
    for (const size of freshChunks(problems.length, B)) {
      const idx = order.slice(at, at + size);
      at += size;
      const chunk = idx.map((i) => problems[i]);
      harness.run(model, chunk, { ...runOpts, bank, retriever }).forEach((r, j) => (out[idx[j]] = r));
      bank.add(chunk.map((p) => ({ prompt: p.prompt, label: p.answer, level: p.level })));
    }
    return out;
  } finally {
    retriever.dispose?.();
  }
}

function batched(
  problems: readonly Problem[],
  B: number,
  run: (chunk: Problem[]) => HarnessResult[],
): HarnessResult[] {
  const out: HarnessResult[] = [];
  for (let s = 0; s < problems.length; s += B) out.push(...run(problems.slice(s, s + B)));
  return out;
}

export interface LevelScore {
  level: number;
  n: number;
  correct: number;
  accuracy: number;
  /** Wilson 95% interval on the accuracy. */
  lo: number;
  hi: number;
  /** Macro-F1 over labels (label tasks only). */
  macro_f1?: number;
}

/** Accuracy per level with Wilson intervals, levels ascending (any items with a level and a verdict). */
export function scoreLevels(items: readonly { level: number; correct: boolean }[]): LevelScore[] {
  const levels = [...new Set(items.map((r) => r.level))].sort((a, b) => a - b);
  return levels.map((level) => {
    const rs = items.filter((r) => r.level === level);
    const correct = rs.filter((r) => r.correct).length;
    const [lo, hi] = wilson(correct, rs.length);
    return { level, n: rs.length, correct, accuracy: correct / rs.length, lo, hi };
  });
}

/** Accuracy per level with Wilson intervals (and macro-F1 when `labels`), levels ascending. */
export function levelScores(
  results: readonly HarnessResult[],
  opts: { labels?: boolean } = {},
): LevelScore[] {
  return scoreLevels(results.map((r) => ({ level: r.problem.level, correct: r.correct }))).map((score) => {
    if (!opts.labels) return score;
    const rs = results.filter((r) => r.problem.level === score.level);
    return { ...score, macro_f1: macroF1(rs.map((r) => r.problem.answer), rs.map((r) => r.answer)) };
  });
}
