/**
 * Result tables of notebook 02's distillation sections (arquero), all from
 * the runs' metrics and the evaluations' per-problem outcomes. Accuracy on
 * the training levels ("trained") is the mean exact match over those levels'
 * eval problems; across seeds, the mean with a Student-t 95% interval; every
 * comparison between methods is paired by seed (both start from that seed's
 * start model), its interval a t interval over the per-seed differences.
 *
 * The power check (DESIGN.md: a null needs a learner that learned): a run
 * learned when its training loss fell (mean of the last quarter of steps
 * below the first quarter's; GRPO: training reward rose) and its greedy
 * accuracy on held-out problems of its training levels moved (pooled over
 * seeds, paired per problem, a t interval excluding zero).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { quarterMeans } from "./tables.ts";
 * assertEquals(quarterMeans([4, 3, 2, 1, 1, 1, 0, 0]), { first: 3.5, last: 0 });
 * ```
 */
import * as aq from "arquero";
import { type MeanInterval, meanInterval, proportionInterval } from "../../../stats/intervals.ts";
import type { MetricRecord } from "../../../train/loop.ts";
import type { Outcome } from "../runs.ts";
import type { DistillParams } from "./params.ts";
import type { MethodEvaluation, MethodRun } from "./runs.ts";

/** Mean of the first and the last quarter of a series (at least one value each). */
export function quarterMeans(xs: readonly number[]): { first: number; last: number } {
  const q = Math.max(1, Math.floor(xs.length / 4));
  const m = (ys: readonly number[]) => ys.reduce((a, b) => a + b, 0) / ys.length;
  return { first: m(xs.slice(0, q)), last: m(xs.slice(-q)) };
}

const acc = (xs: readonly { correct: boolean }[]) => xs.filter((o) => o.correct).length / xs.length;

/** The training levels of the distillation runs. */
export function trainedLevels(dp: DistillParams): number[] {
  return (dp.common.levels as number[]) ?? [];
}

/** A model's accuracy on the given levels in one mode. */
export function levelAccuracy(outcomes: readonly Outcome[], levels: readonly number[]): number {
  return acc(outcomes.filter((o) => levels.includes(o.level)));
}

export interface PowerRow {
  method: string;
  seeds: number;
  /** "loss" (distillation, SFT) or "reward" (GRPO). */
  signal: string;
  first: number;
  last: number;
  /** Seeds where the signal moved the right way (loss fell / reward rose). */
  signal_ok: number;
  acc_before: number;
  acc_after: number;
  acc_change: number;
  lo: number;
  hi: number;
  learned: boolean;
}

/** The power check per trained method. */
export function powerTable(runs: readonly MethodRun[]): PowerRow[] {
  const methods = [...new Set(runs.filter((r) => r.method.trainer !== "none").map((r) => r.method.name))];
  return methods.map((name) => {
    const mine = runs.filter((r) => r.method.name === name);
    const grpo = mine[0].method.trainer === "grpo";
    const key = grpo ? "reward" : "loss";
    const q = mine.map((r) => quarterMeans(series(r.metrics, key)));
    const ok = q.filter((x) => (grpo ? x.last > x.first : x.last < x.first)).length;
    const diffs: number[] = [], before: number[] = [], after: number[] = [];
    for (const r of mine) {
      if (r.heldOutBefore && r.heldOutAfter) {
        r.heldOutBefore.forEach((b, i) => diffs.push(Number(r.heldOutAfter![i].correct) - Number(b.correct)));
        before.push(acc(r.heldOutBefore));
        after.push(acc(r.heldOutAfter));
      } else {
        // GRPO: greedy pass per training level at step 0 and at the end (its own held-out problems).
        const levels = Object.keys(r.metrics[0] ?? {}).filter((k) => k.startsWith("pass_L"));
        const at = (rec: MetricRecord) => levels.reduce((a, k) => a + (rec[k] as number), 0) / levels.length;
        const last = [...r.metrics].reverse().find((m) => levels.every((k) => typeof m[k] === "number"))!;
        before.push(at(r.metrics[0]));
        after.push(at(last));
        diffs.push(at(last) - at(r.metrics[0]));
      }
    }
    const change: MeanInterval = meanInterval(diffs);
    const moved = change.lo > 0 || change.hi < 0;
    return {
      method: name,
      seeds: mine.length,
      signal: key,
      first: mean(q.map((x) => x.first)),
      last: mean(q.map((x) => x.last)),
      signal_ok: ok,
      acc_before: mean(before),
      acc_after: mean(after),
      acc_change: change.mean,
      lo: change.lo,
      hi: change.hi,
      learned: ok === mine.length && moved,
    };
  });
}

function series(metrics: readonly MetricRecord[], key: string): number[] {
  return metrics.filter((m) => m.step > 0 && typeof m[key] === "number").map((m) => m[key] as number);
}
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export interface MethodRow {
  method: string;
  group: string;
  mode: string;
  level: number;
  seeds: number;
  accuracy: number;
  lo: number;
  hi: number;
}

/** Accuracy per method, mode (bare, harness) and level, mean over seeds with a t interval. */
export function methodLevelTable(evals: readonly MethodEvaluation[], dp: DistillParams) {
  const rows: MethodRow[] = [];
  for (const m of dp.methods) {
    const mine = evals.filter((e) => e.method === m.name);
    if (mine.length === 0) continue;
    for (const mode of ["bare", "harness"] as const) {
      for (const level of dp.eval_levels) {
        const s = proportionInterval(mine.map((e) => levelAccuracy(e.outcomes[mode], [level])));
        rows.push({
          method: m.name,
          group: m.group,
          mode,
          level,
          seeds: s.n,
          accuracy: s.mean,
          lo: s.lo,
          hi: s.hi,
        });
      }
    }
  }
  return aq.from(rows);
}

/** Per-seed trained-level accuracy of a method in a mode. */
function perSeed(
  evals: readonly MethodEvaluation[],
  method: string,
  mode: "bare" | "harness",
  levels: number[],
) {
  return new Map(
    evals.filter((e) => e.method === method).map((e) => [e.seed, levelAccuracy(e.outcomes[mode], levels)]),
  );
}

/** Paired-by-seed difference a - b with a t interval. */
export function pairedBySeed(a: Map<number, number>, b: Map<number, number>): MeanInterval {
  return meanInterval([...a.keys()].filter((s) => b.has(s)).map((s) => a.get(s)! - b.get(s)!));
}

export interface ReattachRow {
  method: string;
  group: string;
  text: string;
  seeds: number;
  bare: number;
  bare_lo: number;
  bare_hi: number;
  harness: number;
  reattach: number;
  lo: number;
  hi: number;
  /** "helps" | "hurts" | "no detectable change" */
  effect: string;
  vs_base: number;
  vs_base_lo: number;
  vs_base_hi: number;
}

const effectOf = (lo: number, hi: number) =>
  !(Number.isFinite(lo) && Number.isFinite(hi))
    ? "one seed: no interval"
    : lo > 0
    ? "helps"
    : hi < 0
    ? "hurts"
    : "no detectable change";

/** Per method on the training levels: bare, harness, reattachment (harness - bare) and bare vs the base model. */
export function reattachTable(evals: readonly MethodEvaluation[], dp: DistillParams): ReattachRow[] {
  const levels = trainedLevels(dp);
  const base = perSeed(evals, "base", "bare", levels);
  return dp.methods.filter((m) => evals.some((e) => e.method === m.name)).map((m) => {
    const bare = perSeed(evals, m.name, "bare", levels), harness = perSeed(evals, m.name, "harness", levels);
    const b = proportionInterval([...bare.values()]);
    const r = pairedBySeed(harness, bare);
    const v = pairedBySeed(bare, base);
    return {
      method: m.name,
      group: m.group,
      text: m.text,
      seeds: b.n,
      bare: b.mean,
      bare_lo: b.lo,
      bare_hi: b.hi,
      harness: mean([...harness.values()]),
      reattach: r.mean,
      lo: r.lo,
      hi: r.hi,
      effect: effectOf(r.lo, r.hi),
      vs_base: v.mean,
      vs_base_lo: v.lo,
      vs_base_hi: v.hi,
    };
  });
}

export interface CompareRow {
  a: string;
  b: string;
  diff: number;
  lo: number;
  hi: number;
  effect: string;
}

/** Bare trained-level accuracy of `a` minus `b`, paired by seed. */
export function compareMethods(
  evals: readonly MethodEvaluation[],
  dp: DistillParams,
  a: string,
  b: string,
): CompareRow {
  const levels = trainedLevels(dp);
  const d = pairedBySeed(perSeed(evals, a, "bare", levels), perSeed(evals, b, "bare", levels));
  const effect = !(Number.isFinite(d.lo))
    ? "one seed: no interval"
    : d.lo > 0
    ? "higher"
    : d.hi < 0
    ? "lower"
    : "no detectable difference";
  return { a, b, diff: d.mean, lo: d.lo, hi: d.hi, effect };
}

export interface RetentionSummary {
  method: string;
  format: string;
  seeds: number;
  exact: number;
  lo: number;
  hi: number;
}

/**
 * Per method, the harness-call formats (of `formats`) whose exact match fell below half the start model's
 * (`base`): a model that forgot a call runs its harness broken, so its reattachment says nothing about
 * internalisation. Both families' findings use this one rule (arithmetic: the plan call; precedent: draft
 * and verify).
 */
export function forgottenFormats(
  retention: readonly RetentionSummary[],
  formats: readonly string[],
): Map<string, RetentionSummary[]> {
  const base = (f: string) => retention.find((r) => r.method === "base" && r.format === f)?.exact;
  const out = new Map<string, RetentionSummary[]>();
  for (const r of retention) {
    const b = base(r.format);
    if (r.method === "base" || b === undefined || !formats.includes(r.format)) continue;
    if (r.exact < b / 2) out.set(r.method, [...(out.get(r.method) ?? []), r]);
  }
  return out;
}

/** Format retention per method and format, mean over seeds with a t interval. */
export function retentionTable(evals: readonly MethodEvaluation[], dp: DistillParams): RetentionSummary[] {
  const out: RetentionSummary[] = [];
  for (const m of dp.methods) {
    const mine = evals.filter((e) => e.method === m.name);
    if (mine.length === 0) continue;
    for (const format of dp.retention_formats) {
      const s = proportionInterval(
        mine.map((e) => e.retention.find((r) => r.format === format)?.exact ?? NaN),
      );
      out.push({ method: m.name, format, seeds: s.n, exact: s.mean, lo: s.lo, hi: s.hi });
    }
  }
  return out;
}

export interface FeedbackRow {
  method: string;
  /** Share of training problems whose live harness answer was right, first and last quarter of steps. */
  harness_first: number;
  harness_last: number;
  /** Mean divergence (the distillation term), first and last quarter. */
  divergence_first: number;
  divergence_last: number;
}

/** The live-harness feedback signals over training, per OPHSD method (mean over seeds). */
export function feedbackTable(runs: readonly MethodRun[]): FeedbackRow[] {
  const names = [
    ...new Set(
      runs.filter((r) => r.metrics.some((m) => typeof m.harness_correct === "number")).map((r) =>
        r.method.name
      ),
    ),
  ];
  return names.map((method) => {
    const mine = runs.filter((r) => r.method.name === method);
    const h = mine.map((r) => quarterMeans(series(r.metrics, "harness_correct")));
    const d = mine.map((r) => quarterMeans(series(r.metrics, "divergence")));
    return {
      method,
      harness_first: mean(h.map((x) => x.first)),
      harness_last: mean(h.map((x) => x.last)),
      divergence_first: mean(d.map((x) => x.first)),
      divergence_last: mean(d.map((x) => x.last)),
    };
  });
}

/** Plan-solve's segment calls, as measured by bare accuracy at the segment length (mean over seeds per method). */
export interface SegmentCalls {
  level: number;
  rows: { method: string; accuracy: number }[];
}

/**
 * Bare accuracy per method at plan-solve's segment length: each segment call is a bare call of that many
 * operations, so a model that lost them runs plan-solve on broken segments whatever its plans. Undefined
 * when the harness has no fixed segment length or the level is not evaluated.
 */
export function segmentCalls(
  evals: readonly MethodEvaluation[],
  harness: { kind: string; segment_length?: number },
): SegmentCalls | undefined {
  const level = harness.kind === "plan_solve" ? harness.segment_length : undefined;
  if (level === undefined || !evals.some((e) => e.outcomes.bare.some((o) => o.level === level))) {
    return undefined;
  }
  const methods = [...new Set(evals.map((e) => e.method))];
  return {
    level,
    rows: methods.map((method) => ({
      method,
      accuracy: mean(
        evals.filter((e) => e.method === method).map((e) => levelAccuracy(e.outcomes.bare, [level])),
      ),
    })),
  };
}

export interface VariedGroupsRow {
  method: string;
  seeds: number;
  /** Rollouts per group, and groups per step. */
  group_size: number;
  groups: number;
  /** Share of groups whose rewards differ (GRPO's `varied_groups`), mean over steps then seeds, t interval. */
  varied: number;
  lo: number;
  hi: number;
  /** The same share in the first and the last quarter of steps (mean over seeds). */
  varied_first: number;
  varied_last: number;
}

/**
 * Per GRPO method: the share of its groups that carried a learning signal (a group whose rewards are all equal
 * has zero advantage everywhere), from the runs' `varied_groups` metric.
 */
export function variedGroupsTable(
  runs: readonly MethodRun[],
  shape: { group_size: number; prompts_per_step: number },
): VariedGroupsRow[] {
  const names = [...new Set(runs.filter((r) => r.method.trainer === "grpo").map((r) => r.method.name))];
  return names.map((method) => {
    const mine = runs.filter((r) => r.method.name === method);
    const per = mine.map((r) => series(r.metrics, "varied_groups"));
    const s = proportionInterval(per.map(mean));
    const q = per.map((xs) => quarterMeans(xs));
    return {
      method,
      seeds: s.n,
      group_size: shape.group_size,
      groups: shape.prompts_per_step,
      varied: s.mean,
      lo: s.lo,
      hi: s.hi,
      varied_first: mean(q.map((x) => x.first)),
      varied_last: mean(q.map((x) => x.last)),
    };
  });
}
