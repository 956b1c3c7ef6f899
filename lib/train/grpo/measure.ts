/**
 * Measurements of one model on frozen held-out prompts per difficulty level
 * (DESIGN.md analysis 1), taken at fixed step intervals during GRPO. The keys
 * are `NAME_L{level}` for each NAME in `LEVEL_MEASURES`, flat so they sit in
 * the metrics stream beside the training metrics; result tables read the same
 * list, so a renamed measure cannot turn into a silent NaN.
 *
 * `measureLevels` runs the model (greedy completions, sampled groups);
 * `levelMeasures` turns one level's completions into the numbers and is pure,
 * so its arithmetic is tested by hand.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { levelMeasures } from "./measure.ts";
 * const facts = (answer: string, stepAccuracy = 1) => ({ answer, wellFormed: true, validScratchpad: true, stepShare: 1, copiesLastOperand: false, stepAccuracy });
 * // two greedy completions (right, wrong) and one sampled group with 1 success in 4
 * const m = levelMeasures([true, false], [facts("3"), facts("3", 0.5)], [[true, false, false, false]], [facts("3", 0.25)]);
 * assertEquals([m.pass, m.rep, m.ent, m.samp, m.var, m.pq], [0.5, 1, 0, 0.25, 1, 0.1875]);
 * assertEquals([m.step_acc, m.samp_step_acc], [0.75, 0.25]);
 * ```
 */
import type { Gpt } from "../../model/gpt.ts";
import type { Rng } from "../../core/rng.ts";
import { LabError } from "../../core/errors.ts";
import type { Example, Task } from "../../tasks/task.ts";
import type { CompletionFacts } from "../../tasks/completion_facts.ts";
import { evaluateExamples } from "../evaluate.ts";
import { sampleGroups } from "./rollouts.ts";
import { hasRewardVariance } from "./advantages.ts";

/** What each per-level measure is; the keys of `levelMeasures` and, as NAME_L{level}, of the metrics. */
export const LEVEL_MEASURES = {
  pass: "greedy exact-match pass rate (the difficulty x step heatmap)",
  samp: "pass rate of the sampled groups at the training temperature",
  step_acc: "greedy per-step accuracy: share of expected scratchpad steps written and locally right",
  samp_step_acc: "per-step accuracy of the sampled groups' completions at the training temperature",
  var: "share of sampled groups with reward variance (the productive band)",
  pq: "mean over sampled groups of p(1 - p), p = the group's success rate",
  ent: "entropy (bits) of the greedy final answers across different problems (3.32 = uniform over 10)",
  rep: "share of the most frequent greedy answer",
  copy: "greedy answers equal to the last operand (0.1 by chance)",
  len: "greedy scratchpad steps written / expected",
  valid: "greedy completions with a valid derivation",
  fmt: "well-formed greedy completions",
} as const;
export type LevelMeasure = keyof typeof LEVEL_MEASURES;
/** The measure names, in table order. */
export const MEASURE_NAMES = Object.keys(LEVEL_MEASURES) as LevelMeasure[];

/** The metrics key of a measure at a level ("pass_L3"). */
export const measureKey = (name: LevelMeasure, level: number) => `${name}_L${level}`;

export interface MeasureOptions {
  groupSize: number;
  bandPrompts: number;
  temperature: number;
  rng: Rng;
}

const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);

/** Shannon entropy (bits) of the answers given across different problems; null answers count as one symbol. */
export function answerEntropy(answers: readonly (string | null)[]): number {
  const counts = new Map<string, number>();
  for (const a of answers) counts.set(a ?? "\u0000none", (counts.get(a ?? "\u0000none") ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / answers.length;
    h -= p * Math.log2(p);
  }
  return h === 0 ? 0 : h; // no -0
}

/** Share of answers equal to the most frequent one (1 = one constant answer). */
export function modalShare(answers: readonly (string | null)[]): number {
  const counts = new Map<string, number>();
  for (const a of answers) counts.set(a ?? "\u0000none", (counts.get(a ?? "\u0000none") ?? 0) + 1);
  return answers.length ? Math.max(...counts.values()) / answers.length : 0;
}

/**
 * One level's measures from its greedy completions (right or wrong, and their
 * facts, one per held-out prompt) and its sampled groups (each sample right or
 * wrong; `sampledFacts` the samples' facts, flat).
 */
export function levelMeasures(
  greedyCorrect: readonly boolean[],
  greedyFacts: readonly CompletionFacts[],
  groups: readonly (readonly boolean[])[],
  sampledFacts: readonly CompletionFacts[],
): Record<LevelMeasure, number> {
  const rates = groups.map((g) => meanOf(g.map((c) => (c ? 1 : 0))));
  return {
    pass: meanOf(greedyCorrect.map((c) => (c ? 1 : 0))),
    ent: answerEntropy(greedyFacts.map((f) => f.answer)),
    rep: modalShare(greedyFacts.map((f) => f.answer)),
    copy: meanOf(greedyFacts.map((f) => (f.copiesLastOperand ? 1 : 0))),
    len: meanOf(greedyFacts.map((f) => f.stepShare)),
    valid: meanOf(greedyFacts.map((f) => (f.validScratchpad ? 1 : 0))),
    fmt: meanOf(greedyFacts.map((f) => (f.wellFormed ? 1 : 0))),
    samp: meanOf(rates),
    step_acc: meanOf(greedyFacts.map((f) => f.stepAccuracy)),
    samp_step_acc: meanOf(sampledFacts.map((f) => f.stepAccuracy)),
    var: meanOf(groups.map((g) => (hasRewardVariance(g.map((c) => (c ? 1 : 0))) ? 1 : 0))),
    pq: meanOf(rates.map((p) => p * (1 - p))),
  };
}

/** All measurements at every level present in `examples` (keys NAME_L{level}). */
export function measureLevels(
  model: Gpt,
  task: Task,
  examples: readonly Example[],
  opts: MeasureOptions,
): Record<string, number> {
  const out: Record<string, number> = {};
  const greedy = evaluateExamples(model, task, [...examples]);
  const levels = [...new Set(examples.map((e) => e.level))].sort((a, b) => a - b);
  for (const level of levels) {
    const exs = examples.filter((e) => e.level === level);
    const res = greedy.filter((r) => r.level === level);
    const groups = sampleGroups(model, task, exs.slice(0, opts.bandPrompts), {
      groupSize: opts.groupSize,
      temperature: opts.temperature,
      formatWeight: 0,
      rng: opts.rng.fork(`band:L${level}`),
    });
    const m = levelMeasures(
      res.map((r) => r.correct),
      res.map((r, i) => task.facts(exs[i], r.completion)),
      groups.map((g) => g.samples.map((s) => s.correct)),
      groups.flatMap((g) => g.samples.map((s) => s.facts)),
    );
    for (const [name, v] of Object.entries(m)) out[measureKey(name as LevelMeasure, level)] = v;
  }
  return out;
}

/** The per-level values of one measure from a metrics record (levels ascending); a missing key is an error. */
export function perLevel(
  rec: Record<string, number | string>,
  name: LevelMeasure,
  levels: readonly number[],
): number[] {
  return levels.map((l) => {
    const v = rec[measureKey(name, l)];
    if (typeof v !== "number") {
      throw new LabError(
        `metrics record at step ${rec.step} has no number '${measureKey(name, l)}' (got ${
          JSON.stringify(v)
        })`,
        "read measures by the names in LEVEL_MEASURES, at the levels the run measured",
      );
    }
    return v;
  });
}
