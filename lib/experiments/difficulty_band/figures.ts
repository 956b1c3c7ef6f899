/**
 * The saved figures of analysis 1 (figures/NAME.svg + PNG): the start model's
 * graded curve, the difficulty x step heatmap per condition, the productive
 * band and its drift, easy-level retention, and the shortcut indicators.
 * Every panel is drawn from the result tables in tables.ts; the chance levels
 * come from the task's exact computation.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { chanceText } from "./figures.ts";
 * assertEquals(chanceText([0.1, 0.10000000000000007]), { value: "0.1", uniform: true });
 * assertEquals(chanceText([0.5, 0.25]), { value: "0.25 to 0.5", uniform: false });
 * ```
 */
import { composeFigure, type Figure } from "../../plot/figure.ts";
import { levelAccuracy, type LevelPoint } from "../../plot/charts/level_accuracy.ts";
import { levelStepHeatmap } from "../../plot/charts/heatmap.ts";
import { stepCurves, type StepPoint } from "../../plot/charts/step_curves.ts";
import { seriesLegend } from "../../plot/charts/series.ts";
import { REFERENCE_COLOR } from "../../plot/theme.ts";
import { meanInterval } from "../../stats/intervals.ts";
import { shortNumber } from "../format.ts";
import { type BandParams, bandTask, type Condition, CONDITION_TEXT, CONDITIONS } from "./params.ts";
import type {
  ChangeRow,
  changeTable,
  heatmapTable,
  measurementTable,
  MeasureRow,
  perStepTable,
  startTable,
  StepMeasure,
} from "./tables.ts";

/** Chance levels as text: one value when they agree (to 1e-9), else their range. */
export function chanceText(chances: readonly number[]): { value: string; uniform: boolean } {
  const lo = Math.min(...chances), hi = Math.max(...chances);
  const uniform = hi - lo < 1e-9;
  return { value: uniform ? shortNumber(lo) : `${shortNumber(lo)} to ${shortNumber(hi)}`, uniform };
}

/** The start task's operations in words ("+ and -"). */
function opsText(params: BandParams): string {
  const s = bandTask(params).settings;
  return s.family === "arithmetic" ? s.ops.join(" and ") : s.family;
}

const label = (c: Condition) => CONDITION_TEXT[c];
const conditionLegend = (conds: Condition[]) => seriesLegend(conds.map(label));
const chanceLegend = { label: "reference (chance or no change)", color: REFERENCE_COLOR, dashed: true };

/** The start model's pass rate by level: greedy (Wilson interval) and sampled at the training temperature. */
export function startFigure(table: ReturnType<typeof startTable>, params: BandParams): Figure {
  const rows = table.objects() as {
    level: number;
    greedy_pass: number;
    lo: number;
    hi: number;
    sampled_pass: number;
    chance: number;
  }[];
  const pts: LevelPoint[] = [
    ...rows.map((r) => ({
      level: r.level,
      accuracy: r.greedy_pass,
      lo: r.lo,
      hi: r.hi,
      series: "greedy pass rate",
    })),
    ...rows.filter((r) => Number.isFinite(r.sampled_pass)).map((r) => ({
      level: r.level,
      accuracy: r.sampled_pass,
      lo: r.sampled_pass,
      hi: r.sampled_pass,
      series: "sampled pass rate (T = 1)",
    })),
  ];
  const trained = params.start.train_levels;
  const chance = chanceText(rows.map((r) => r.chance));
  return composeFigure({
    title: "The start model's pass rate by difficulty (the graded-start check)",
    subtitle:
      `SFT, ${params.start.n_layer} layers, n_embd ${params.start.n_embd}, ${params.start.position} positions, ` +
      `${params.start.steps} steps on levels ${trained.join(", ")}` +
      (params.start.level_weights ? ` weighted ${params.start.level_weights.join(", ")}` : "") +
      `; ${opsText(params)} only, so chance is ${chance.value} ${
        chance.uniform ? "at every level" : "by level"
      }.`,
    legend: [...seriesLegend(["greedy pass rate", "sampled pass rate (T = 1)"]), {
      label: "chance (exact)",
      color: REFERENCE_COLOR,
      dashed: true,
    }],
    panels: [{
      title: "Held-out pass rate by level",
      svg: levelAccuracy(pts, {
        yLabel: "pass rate",
        xLabel: "difficulty level (operations in the chain)",
        chance: rows.map((r) => ({ level: r.level, chance: r.chance })),
        shade: { from: Math.min(...trained), to: Math.max(...trained), label: "trained" },
      }),
    }],
    note:
      `First ${params.start.eval_per_level} held-out problems per level; greedy with a Wilson 95% interval; ` +
      `sampled: mean over the GRPO seeds' step-0 groups (${params.band_prompts} prompts x ${params.group_size} samples).`,
  });
}

/** Mean greedy pass rate per (step, level), one panel per condition. */
export function heatmapFigure(heat: ReturnType<typeof heatmapTable>, params: BandParams): Figure {
  const rows = heat.objects() as { condition: Condition; step: number; level: number; value: number }[];
  const conds = CONDITIONS.filter((c) => rows.some((r) => r.condition === c));
  const task = bandTask(params);
  const chance = chanceText(params.levels.map((l) => task.chance(l)));
  return composeFigure({
    title: "Pass rate by difficulty and step under each curriculum",
    subtitle:
      `GRPO from the start model, ${params.prompts_per_step} prompts x ${params.group_size} samples per step, lr ${params.lr}; mean over ${params.seeds.length} seeds.`,
    panels: conds.map((c) => ({
      title: label(c),
      svg: levelStepHeatmap(rows.filter((r) => r.condition === c), {
        label: "greedy pass rate",
        width: 400,
        height: 260,
      }),
    })),
    columns: 3,
    note: "Colour and printed value: greedy pass rate on the held-out problems (dark 0, yellow 1). " +
      `Chance is ${chance.value}${chance.uniform ? "" : " by level"}.`,
  });
}

/** Per condition and step, the mean over seeds of a per-step measure with a t interval. */
function overSteps(perStep: ReturnType<typeof perStepTable>, measure: StepMeasure): StepPoint[] {
  const rows = perStep.objects() as ({ condition: Condition; step: number } & Record<StepMeasure, number>)[];
  const keys = [...new Set(rows.map((r) => `${r.condition}|${r.step}`))];
  return keys.map((k) => {
    const [condition, step] = k.split("|");
    const m = meanInterval(
      rows.filter((r) => r.condition === condition && r.step === Number(step)).map((r) => r[measure]).filter(
        Number.isFinite,
      ),
    );
    return {
      step: Number(step),
      mean: m.mean,
      lo: Number.isFinite(m.lo) ? m.lo : m.mean,
      hi: Number.isFinite(m.hi) ? m.hi : m.mean,
      series: label(condition as Condition),
    };
  }).filter((p) => Number.isFinite(p.mean)).sort((a, b) => a.step - b.step);
}

/** Changes from step 0 (paired per seed) of one measure, per condition. */
function changes(change: ReturnType<typeof changeTable>, measure: StepMeasure): StepPoint[] {
  return (change.objects() as ChangeRow[])
    .filter((r) => r.measure === measure)
    .map((r) => ({
      step: r.step,
      mean: r.mean,
      lo: Number.isFinite(r.lo) ? r.lo : r.mean,
      hi: Number.isFinite(r.hi) ? r.hi : r.mean,
      series: label(r.condition),
    }));
}

/** The productive band: its centre over steps, and the share of groups with reward variance per level, start vs end. */
export function bandFigure(
  perStep: ReturnType<typeof perStepTable>,
  measurements: ReturnType<typeof measurementTable>,
  params: BandParams,
): Figure {
  const rows = measurements.objects() as MeasureRow[];
  const conds = [...new Set(rows.map((r) => r.condition))];
  const last = Math.max(...rows.map((r) => r.step));
  const byLevel = (filter: (r: MeasureRow) => boolean, series: string, key: "var" | "pq"): LevelPoint[] =>
    params.levels.map((level) => {
      const m = meanInterval(
        rows.filter((r) => r.level === level && filter(r)).map((r) => (key === "pq" ? 4 * r.pq : r.var)),
      );
      return {
        level,
        accuracy: m.mean,
        lo: Number.isFinite(m.lo) ? Math.max(0, m.lo) : m.mean,
        hi: Number.isFinite(m.hi) ? Math.min(1, m.hi) : m.mean,
        series,
      };
    }).filter((p) => Number.isFinite(p.accuracy));
  const start = "step 0 (all runs)";
  const pts = [
    ...byLevel((r) => r.step === 0, start, "var"),
    ...conds.flatMap((c) => byLevel((r) => r.step === last && r.condition === c, label(c), "var")),
  ];
  const pq = [
    ...byLevel((r) => r.step === 0, start, "pq"),
    ...conds.flatMap((c) => byLevel((r) => r.step === last && r.condition === c, label(c), "pq")),
  ];
  const colors = { [start]: "#000000" };
  return composeFigure({
    title: "The productive band and its drift",
    subtitle:
      `Productive band = levels where sampled groups of ${params.group_size} have reward variance (non-zero advantages); ` +
      `centre = level average weighted by that share. ${params.seeds.length} seeds, t 95% intervals.`,
    legend: [...seriesLegend([start, ...conds.map(label)], colors)],
    panels: [
      {
        title: "Band centre over training",
        svg: stepCurves(overSteps(perStep, "band_centre"), { yLabel: "band centre (level)" }),
      },
      {
        title: `Share of groups with reward variance: step 0 vs step ${last}`,
        svg: levelAccuracy(pts, { yLabel: "share of groups with variance", colors }),
      },
      {
        title: `4 p(1-p) of the groups' success rates: step 0 vs step ${last}`,
        svg: levelAccuracy(pq, { yLabel: "4 p(1-p), mean over groups", colors }),
      },
    ],
    columns: 3,
    note:
      `${params.band_prompts} held-out prompts per level, ${params.group_size} samples each at temperature 1, at every measurement step.`,
  });
}

/** Easy-level pass rate change from step 0 per condition. */
export function retentionFigure(
  change: ReturnType<typeof changeTable>,
  easy: readonly number[],
  params: BandParams,
): Figure {
  const pts = changes(change, "easy_pass");
  const conds = [...new Set((change.objects() as { condition: Condition }[]).map((r) => r.condition))];
  return composeFigure({
    title: "Retention of skills the start model had",
    subtitle:
      `Greedy pass rate on the easy levels (${
        easy.join(", ") || "none"
      }: start pass >= ${params.easy_min}) minus its step-0 value, ` +
      `paired per seed; ${params.seeds.length} seeds, t 95% bands.`,
    legend: [...conditionLegend(conds), chanceLegend],
    panels: [{
      title: "Change in easy-level pass rate",
      svg: stepCurves(pts, { yLabel: "change from step 0", reference: 0, width: 720 }),
    }],
  });
}

/** Shortcut indicators (changes from step 0) per condition. */
export function shortcutFigure(change: ReturnType<typeof changeTable>, params: BandParams): Figure {
  const conds = [...new Set((change.objects() as { condition: Condition }[]).map((r) => r.condition))];
  const panel = (m: StepMeasure, title: string, y: string) => ({
    title,
    svg: stepCurves(changes(change, m), { yLabel: y, reference: 0, width: 420, height: 260 }),
  });
  return composeFigure({
    title: "Shortcut indicators during GRPO",
    subtitle:
      `Greedy completions on all held-out levels (averaged over levels), change from step 0 paired per seed; ${params.seeds.length} seeds, t 95% bands.`,
    legend: [...conditionLegend(conds), chanceLegend],
    panels: [
      panel("entropy", "Answer entropy across problems (bits)", "change (bits)"),
      panel("repetition", "Share of the most frequent answer", "change"),
      panel("valid", "Valid derivations (scratchpad all right)", "change"),
      panel("copy", "Answer copies the last operand", "change"),
      panel("steps_written", "Scratchpad steps written / expected", "change"),
    ],
    columns: 3,
    note: "Shortcut direction: entropy down, repetition up, valid down, copying up, fewer steps written.",
  });
}
