/**
 * Measurements of one model on frozen held-out prompts per difficulty level
 * (DESIGN.md analysis 1), taken at fixed step intervals during GRPO:
 *  - pass_L: greedy exact-match pass rate (the difficulty x step heatmap);
 *  - sampled groups of G at the training temperature on the first
 *    `bandPrompts` prompts of each level: samp_L (their pass rate), var_L (the
 *    share of groups with non-zero reward variance: the productive band), and
 *    pq_L (the mean of p(1 - p) over groups, p = the group's success rate);
 *  - shortcut indicators on the greedy completions: ent_L (entropy in bits of
 *    the final answers across different problems; 3.32 = uniform over 10),
 *    rep_L (share of the most frequent answer), copy_L (answer = last operand;
 *    0.1 by chance), len_L (written steps / expected steps), valid_L (valid
 *    derivations), fmt_L (well-formed completions).
 * Flat keys so they sit in the metrics stream beside the training metrics.
 */
import type { Gpt } from "../../model/gpt.ts";
import type { Rng } from "../../core/rng.ts";
import type { Example, Task } from "../../tasks/task.ts";
import { evaluateExamples } from "../evaluate.ts";
import { answerEntropy, completionFacts, modalShare } from "./completion_facts.ts";
import { sampleGroups } from "./rollouts.ts";
import { hasRewardVariance } from "./advantages.ts";

export interface MeasureOptions {
  groupSize: number;
  bandPrompts: number;
  temperature: number;
  rng: Rng;
}

const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);

/** All measurements at every level present in `examples`. */
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
    const facts = res.map((r, i) => completionFacts(exs[i], r.completion));
    out[`pass_L${level}`] = meanOf(res.map((r) => (r.correct ? 1 : 0)));
    out[`ent_L${level}`] = answerEntropy(facts.map((f) => f.answer));
    out[`rep_L${level}`] = modalShare(facts.map((f) => f.answer));
    out[`copy_L${level}`] = meanOf(facts.map((f) => (f.copiesLastOperand ? 1 : 0)));
    out[`len_L${level}`] = meanOf(facts.map((f) => f.stepShare));
    out[`valid_L${level}`] = meanOf(facts.map((f) => (f.validScratchpad ? 1 : 0)));
    out[`fmt_L${level}`] = meanOf(facts.map((f) => (f.wellFormed ? 1 : 0)));
    const groups = sampleGroups(model, task, exs.slice(0, opts.bandPrompts), {
      groupSize: opts.groupSize,
      temperature: opts.temperature,
      formatWeight: 0,
      rng: opts.rng.fork(`band:L${level}`),
    });
    const rates = groups.map((g) => meanOf(g.samples.map((s) => (s.correct ? 1 : 0))));
    out[`samp_L${level}`] = meanOf(rates);
    out[`var_L${level}`] = meanOf(
      groups.map((g) => (hasRewardVariance(g.samples.map((s) => (s.correct ? 1 : 0))) ? 1 : 0)),
    );
    out[`pq_L${level}`] = meanOf(rates.map((p) => p * (1 - p)));
  }
  return out;
}

/** The per-level values of one measurement from a metrics record (levels ascending). */
export function perLevel(
  rec: Record<string, number | string>,
  name: string,
  levels: readonly number[],
): number[] {
  return levels.map((l) => Number(rec[`${name}_L${l}`]));
}
