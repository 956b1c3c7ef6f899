/**
 * The learning check of analysis 1 (DESIGN.md, "a null needs a positive
 * control"): before any verdict on band drift, did GRPO learn at all? A band
 * cannot drift when the model does not improve, so a flat band under a flat
 * learner is "cannot decide", never "not reproduced".
 *
 * Per condition, paired per seed (a seed's end minus the same seed's start),
 * with 95% t intervals over seeds:
 *  - held-out pass on the condition's own levels (those its curriculum drew
 *    with positive weight at step 0), at the training temperature (the sampled
 *    groups' pass rate: what GRPO optimises) and greedy;
 *  - held-out per-step accuracy of the sampled completions on those levels;
 *  - training reward: mean over the last `window` training steps minus the
 *    first `window` (window = a quarter of the run).
 * A condition learned when its held-out sampled pass and its training reward
 * both rose with intervals above zero.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { learnedVerdict } from "./learning.ts";
 * assertEquals(learnedVerdict({ lo: 0.02, hi: 0.1 }, { lo: 0.01, hi: 0.2 }), true);
 * assertEquals(learnedVerdict({ lo: -0.02, hi: 0.1 }, { lo: 0.01, hi: 0.2 }), false);
 * ```
 */
import * as aq from "arquero";
import { meanInterval } from "../../stats/intervals.ts";
import { perLevel } from "../../train/grpo/measure.ts";
import type { MetricRecord } from "../../train/loop.ts";
import { fixed2, intervalText, signed2 } from "../format.ts";
import { type Condition, CONDITION_TEXT } from "./params.ts";
import type { BandRun } from "./runs.ts";

/** The conditions whose learning gates the drift verdict (the curricula meant to learn). */
export const LEARNERS: readonly Condition[] = ["uniform", "static_band", "adaptive_band"];

export const LEARNING_MEASURES = {
  sampled_pass: "held-out pass at the training temperature on the condition's levels",
  greedy_pass: "held-out greedy pass on the condition's levels",
  sampled_step: "held-out per-step accuracy at the training temperature on the condition's levels",
  reward: "training reward, last quarter of steps minus first quarter",
} as const;
export type LearningMeasure = keyof typeof LEARNING_MEASURES;

/** One row of learningTable. */
export interface LearningRow {
  condition: Condition;
  measure: LearningMeasure;
  /** The levels averaged ("1-8", or "training batches" for the reward). */
  levels: string;
  start: number;
  end: number;
  change: number;
  lo: number;
  hi: number;
  n: number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Both intervals above zero. */
export function learnedVerdict(
  pass: { lo: number; hi: number },
  reward: { lo: number; hi: number },
): boolean {
  return pass.lo > 0 && reward.lo > 0;
}

/** One run's start and end values of each learning measure. */
function runValues(run: BandRun): Record<LearningMeasure, [number, number]> & { levels: number[] } {
  const r = run.run.result;
  const levels = r.levels.filter((_, i) => r.startWeights[i] > 0);
  const measured = r.metrics.filter((m) => typeof m[`samp_L${levels[0]}`] === "number");
  const first = measured[0], last = measured.at(-1)!;
  const at = (m: MetricRecord, k: "samp" | "pass" | "samp_step_acc") => mean(perLevel(m, k, levels));
  const train = r.metrics.filter((m) => typeof m.reward === "number").map((m) => Number(m.reward));
  const w = Math.max(1, Math.floor(train.length / 4));
  return {
    levels,
    sampled_pass: [at(first, "samp"), at(last, "samp")],
    greedy_pass: [at(first, "pass"), at(last, "pass")],
    sampled_step: [at(first, "samp_step_acc"), at(last, "samp_step_acc")],
    reward: [mean(train.slice(0, w)), mean(train.slice(-w))],
  };
}

const levelText = (levels: number[]) =>
  levels.length > 1 && levels.at(-1)! - levels[0] === levels.length - 1
    ? `${levels[0]}-${levels.at(-1)}`
    : levels.join(", ");

/** Start, end and paired change (t interval over seeds) of each learning measure per condition. */
export function learningTable(runs: readonly BandRun[]) {
  const out: LearningRow[] = [];
  const conds = [...new Set(runs.map((r) => r.condition))];
  for (const condition of conds) {
    const vals = runs.filter((r) => r.condition === condition).map(runValues);
    for (const measure of Object.keys(LEARNING_MEASURES) as LearningMeasure[]) {
      const m = meanInterval(vals.map((v) => v[measure][1] - v[measure][0]));
      out.push({
        condition,
        measure,
        // each seed's curriculum picks its own levels from its step-0 draws: list them when they differ
        levels: measure === "reward"
          ? "training batches"
          : [...new Set(vals.map((v) => levelText(v.levels)))].join(" / "),
        start: mean(vals.map((v) => v[measure][0])),
        end: mean(vals.map((v) => v[measure][1])),
        change: m.mean,
        lo: m.lo,
        hi: m.hi,
        n: m.n,
      });
    }
  }
  return aq.from(out);
}

/** Per condition: did it learn (held-out sampled pass and training reward both up)? */
export function learnedConditions(table: ReturnType<typeof learningTable>): Map<Condition, boolean> {
  const rows = table.objects() as LearningRow[];
  const out = new Map<Condition, boolean>();
  for (const c of new Set(rows.map((r) => r.condition))) {
    const get = (m: LearningMeasure) => rows.find((r) => r.condition === c && r.measure === m)!;
    out.set(c, learnedVerdict(get("sampled_pass"), get("reward")));
  }
  return out;
}

const change = (r: LearningRow) =>
  `${fixed2(r.start)} → ${fixed2(r.end)} (${signed2(r.change)} ${
    intervalText(r.lo, r.hi, { signed: true })
  })`;

/**
 * The learning check's sentence: per learner curriculum its numbers and
 * whether it learned, and the gate's outcome. `passed` is true when at least
 * one learner curriculum learned.
 */
export function learningCheck(table: ReturnType<typeof learningTable>): { passed: boolean; text: string } {
  const rows = table.objects() as LearningRow[];
  const learned = learnedConditions(table);
  const mine = LEARNERS.filter((c) => learned.has(c));
  if (!mine.length) {
    return { passed: false, text: "**Learning check.** Cannot run: no uniform or band curriculum was run." };
  }
  const parts = mine.map((c) => {
    const get = (m: LearningMeasure) => rows.find((r) => r.condition === c && r.measure === m)!;
    const p = get("sampled_pass");
    return `${CONDITION_TEXT[c]} (levels ${p.levels}): sampled pass ${change(p)}, per-step accuracy ${
      change(get("sampled_step"))
    }, greedy pass ${change(get("greedy_pass"))}, training reward ${change(get("reward"))}: ` +
      (learned.get(c) ? "**learned**" : "did not learn");
  });
  const yes = mine.filter((c) => learned.get(c));
  const n = Math.max(...rows.map((r) => r.n));
  const text =
    `**Learning check** (held-out pass at the training temperature and training reward must both rise, ` +
    `paired per seed, 95% t intervals over ${n} seeds). ` + parts.join("; ") + ". " +
    (yes.length
      ? `${yes.length} of ${mine.length} curricula learned: the drift verdict can be decided for ${
        yes.map((c) => CONDITION_TEXT[c]).join(", ")
      }.`
      : '**Cannot decide: no curriculum learned at this scale**, so no verdict below can be "not reproduced".');
  return { passed: yes.length > 0, text };
}
