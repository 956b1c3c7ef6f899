/**
 * The result tables of analysis 1 (arquero), from the cached runs; findings.ts
 * writes the findings and figures.ts draws the figures from them. Intervals
 * are 95% Student-t over GRPO seeds; changes are paired per seed (a seed's
 * value at a step minus the same seed's value at step 0), so the start
 * model's own sampling noise cancels.
 *
 * Definitions (all from GRPO's per-level measures, LEVEL_MEASURES in
 * lib/train/grpo/measure.ts, on the frozen held-out prompts):
 *  - easy levels: the start model's greedy pass rate >= easy_min;
 *  - retention: mean greedy pass over the easy levels minus its step-0 value;
 *  - band centre: the level average weighted by each level's share of sampled
 *    groups with reward variance (where GRPO gets signal);
 *  - shortcut indicators: the level-averaged answer entropy, valid
 *    derivations, copies of the last operand and modal-answer share.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { STEP_MEASURES } from "./tables.ts";
 * assertEquals(STEP_MEASURES[0], "band_centre");
 * ```
 */
import * as aq from "arquero";
import { meanInterval } from "../../stats/intervals.ts";
import type { MetricRecord } from "../../train/loop.ts";
import { type LevelMeasure, MEASURE_NAMES, measureKey, perLevel } from "../../train/grpo/measure.ts";
import { type Condition, CONDITION_TEXT } from "./params.ts";
import type { BandRun } from "./runs.ts";

export type MeasureRow =
  & { condition: Condition; seed: number; step: number; level: number }
  & Record<LevelMeasure, number>;

/** A record is a measurement at `level` when it holds the level's pass rate (then it must hold every measure). */
const isMeasured = (m: MetricRecord, level: number) => typeof m[measureKey("pass", level)] === "number";

/** Every measurement: condition, seed, step, level and each of LEVEL_MEASURES. */
export function measurementTable(runs: readonly BandRun[]) {
  const rows: MeasureRow[] = [];
  for (const { condition, seed, run } of runs) {
    for (const m of run.result.metrics) {
      for (const level of run.result.levels) {
        if (!isMeasured(m, level)) continue;
        const row = { condition, seed, step: m.step, level } as MeasureRow;
        for (const k of MEASURE_NAMES) row[k] = perLevel(m, k, [level])[0];
        rows.push(row);
      }
    }
  }
  return aq.from(rows);
}

/** Mean over seeds of a measure per condition, step and level (the heatmap). */
export function heatmapTable(
  measurements: ReturnType<typeof measurementTable>,
  measure: LevelMeasure = "pass",
) {
  return measurements.groupby("condition", "step", "level").rollup({ value: aq.op.mean(measure) })
    .orderby("condition", "step", "level");
}

/** Per run and step: band centre, easy-level pass, level-averaged shortcut indicators. */
export function perStepTable(measurements: ReturnType<typeof measurementTable>, easy: readonly number[]) {
  const rows = measurements.objects() as MeasureRow[];
  const key = (r: MeasureRow) => `${r.condition}|${r.seed}|${r.step}`;
  const groups = new Map<string, MeasureRow[]>();
  for (const r of rows) {
    const g = groups.get(key(r));
    if (g) g.push(r);
    else groups.set(key(r), [r]);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  return aq.from([...groups.values()].map((g) => {
    const w = g.reduce((a, r) => a + r.var, 0);
    const easyRows = g.filter((r) => easy.includes(r.level));
    return {
      condition: g[0].condition,
      seed: g[0].seed,
      step: g[0].step,
      band_centre: w > 0 ? g.reduce((a, r) => a + r.level * r.var, 0) / w : NaN,
      easy_pass: easyRows.length ? mean(easyRows.map((r) => r.pass)) : NaN,
      entropy: mean(g.map((r) => r.ent)),
      valid: mean(g.map((r) => r.valid)),
      copy: mean(g.map((r) => r.copy)),
      repetition: mean(g.map((r) => r.rep)),
      steps_written: mean(g.map((r) => r.len)),
    };
  }));
}

export const STEP_MEASURES = [
  "band_centre",
  "easy_pass",
  "entropy",
  "valid",
  "copy",
  "repetition",
  "steps_written",
] as const;
export type StepMeasure = typeof STEP_MEASURES[number];
type StepRow = { condition: Condition; seed: number; step: number } & Record<StepMeasure, number>;

/** One row of changeTable: a measure's change from step 0 at a step, over seeds. */
export interface ChangeRow {
  condition: Condition;
  step: number;
  measure: StepMeasure;
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

/** Change from step 0, paired per seed, with a t interval over seeds: condition, step, measure, mean, lo, hi, n. */
export function changeTable(perStep: ReturnType<typeof perStepTable>) {
  const rows = perStep.objects() as StepRow[];
  const out: ChangeRow[] = [];
  const conds = [...new Set(rows.map((r) => r.condition))];
  for (const condition of conds) {
    const mine = rows.filter((r) => r.condition === condition);
    const steps = [...new Set(mine.map((r) => r.step))].sort((a, b) => a - b);
    for (const measure of STEP_MEASURES) {
      for (const step of steps) {
        const diffs = mine.filter((r) => r.step === step).map((r) => {
          const base = mine.find((b) => b.seed === r.seed && b.step === 0);
          return base ? r[measure] - base[measure] : NaN;
        }).filter(Number.isFinite);
        if (!diffs.length) continue;
        const m = meanInterval(diffs);
        out.push({ condition, step, measure, mean: m.mean, lo: m.lo, hi: m.hi, n: m.n });
      }
    }
  }
  return aq.from(out);
}

/**
 * Accidental successes per condition (training batches): lone successes, how
 * many were invalid, their advantage, and the share of groups with variance;
 * each a mean over seeds with its t interval (columns NAME, NAME_lo, NAME_hi).
 */
export function luckTable(runs: readonly BandRun[]) {
  const per = runs.map(({ condition, seed, run }) => {
    const recs = run.result.metrics.filter((m) => typeof m.lone === "number");
    const sum = (k: string) => recs.reduce((a, m) => a + Number(m[k] ?? 0), 0);
    const advs = recs.filter((m) => typeof m.lone_adv === "number");
    return {
      condition,
      seed,
      lone_per_step: sum("lone") / Math.max(recs.length, 1),
      lone_invalid_share: sum("lone") ? sum("lone_invalid") / sum("lone") : NaN,
      lone_advantage: advs.length
        ? advs.reduce((a, m) => a + Number(m.lone_adv) * Number(m.lone), 0) / sum("lone")
        : NaN,
      varied_groups: recs.reduce((a, m) => a + Number(m.varied_groups ?? 0), 0) / Math.max(recs.length, 1),
    };
  });
  const conds = [...new Set(per.map((r) => r.condition))];
  return aq.from(conds.map((condition) => {
    const mine = per.filter((r) => r.condition === condition);
    // mean over seeds with its 95% t interval, as name, name_lo, name_hi
    const avg = (name: string, k: keyof typeof mine[0]) => {
      const m = meanInterval(mine.map((r) => Number(r[k])).filter(Number.isFinite));
      return { [name]: m.mean, [`${name}_lo`]: m.lo, [`${name}_hi`]: m.hi };
    };
    return {
      condition,
      curriculum: CONDITION_TEXT[condition],
      seeds: mine.length,
      ...avg("lone_successes_per_step", "lone_per_step"),
      ...avg("lone_success_invalid_share", "lone_invalid_share"),
      ...avg("lone_success_advantage", "lone_advantage"),
      ...avg("groups_with_variance", "varied_groups"),
    };
  }));
}

/** Greedy completions before and after training for the first seed of one condition. */
export function beforeAfterTable(runs: readonly BandRun[], condition: Condition) {
  const r = runs.find((x) => x.condition === condition);
  if (!r) return aq.from([]);
  const after = new Map(r.run.result.samplesAfter.map((s) => [s.id, s]));
  return aq.from(r.run.result.samplesBefore.map((b) => ({
    level: b.level,
    prompt: b.prompt,
    before: b.completion,
    before_ok: b.correct,
    after: after.get(b.id)?.completion ?? "",
    after_ok: after.get(b.id)?.correct ?? false,
  })));
}

/** The change table at each condition's last measured step, ordered by measure then condition. */
export function finalChangeTable(change: ReturnType<typeof changeTable>) {
  const rows = change.objects() as { condition: Condition; step: number; measure: StepMeasure }[];
  const last = new Map<Condition, number>();
  for (const r of rows) last.set(r.condition, Math.max(last.get(r.condition) ?? 0, r.step));
  const order = [...last.keys()];
  return aq.from(
    rows.filter((r) => r.step === last.get(r.condition))
      .sort((a, b) =>
        STEP_MEASURES.indexOf(a.measure) - STEP_MEASURES.indexOf(b.measure) ||
        order.indexOf(a.condition) - order.indexOf(b.condition)
      ),
  );
}

/** The share of prompts each condition's curriculum drew per level at step 0 (one seed): condition, curriculum, L1.. */
export function curriculumWeightTable(runs: readonly BandRun[], seed: number) {
  return aq.from(
    runs.filter((r) => r.seed === seed).map((r) => ({
      condition: r.condition,
      curriculum: CONDITION_TEXT[r.condition],
      ...Object.fromEntries(r.run.result.levels.map((l, i) => [`L${l}`, r.run.result.startWeights[i]])),
    })),
  );
}
