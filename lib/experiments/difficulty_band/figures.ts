/**
 * The saved figures of analysis 1 (figures/NAME.svg + PNG): small-multiples
 * heatmaps (level x step, one panel per condition) of pass rate, sampled pass
 * rate and the share of groups with reward variance; the band centre over
 * steps, one panel per condition; easy-level retention; and the shortcut
 * indicators. The start model's figure is in start.ts.
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
import { levelStepHeatmap } from "../../plot/charts/heatmap.ts";
import { stepCurves, type StepPoint } from "../../plot/charts/step_curves.ts";
import { seriesLegend } from "../../plot/charts/series.ts";
import { REFERENCE_COLOR } from "../../plot/theme.ts";
import { meanInterval } from "../../stats/intervals.ts";
import { shortNumber } from "../format.ts";
import {
  bandConfigs,
  type BandParams,
  bandTask,
  type Condition,
  CONDITION_SHORT,
  CONDITION_TEXT,
  CONDITIONS,
} from "./params.ts";
import type { ChangeRow, changeTable, heatmapTable, perStepTable, StepMeasure } from "./tables.ts";

/** Chance levels as text: one value when they agree (to 1e-9), else their range. */
export function chanceText(chances: readonly number[]): { value: string; uniform: boolean } {
  const lo = Math.min(...chances), hi = Math.max(...chances);
  const uniform = hi - lo < 1e-9;
  return { value: uniform ? shortNumber(lo) : `${shortNumber(lo)} to ${shortNumber(hi)}`, uniform };
}

const label = (c: Condition) => CONDITION_TEXT[c];
const conditionLegend = (conds: Condition[]) => seriesLegend(conds.map(label));
const chanceLegend = { label: "reference (chance or no change)", color: REFERENCE_COLOR, dashed: true };

const HEAT_TEXT = {
  pass: {
    title: "Pass rate by difficulty and step under each curriculum",
    label: "greedy pass rate",
    note: "Colour and printed value: greedy pass rate on the held-out problems (dark 0, yellow 1).",
  },
  samp: {
    title: "Pass rate at the training temperature by difficulty and step",
    label: "sampled pass rate",
    note:
      "Colour and printed value: pass rate of the sampled groups on held-out problems (dark 0, yellow 1).",
  },
  var: {
    title: "The productive band: share of groups with reward variance, by difficulty and step",
    label: "share of groups with variance",
    note:
      "Colour and printed value: share of held-out prompts whose sampled group had reward variance (the only groups that give GRPO a gradient; dark 0, yellow 1). Drift = the bright cells moving up the level axis as steps go right.",
  },
} as const;

/** Mean over seeds of a per-level measure per (step, level), one panel per condition (small multiples). */
export function heatmapFigure(
  heat: ReturnType<typeof heatmapTable>,
  params: BandParams,
  measure: keyof typeof HEAT_TEXT = "pass",
): Figure {
  const rows = heat.objects() as { condition: Condition; step: number; level: number; value: number }[];
  const conds = CONDITIONS.filter((c) => rows.some((r) => r.condition === c));
  const task = bandTask(params);
  const g = bandConfigs(params).grpo;
  const chance = chanceText(g.levels.map((l) => task.chance(l)));
  const text = HEAT_TEXT[measure];
  return composeFigure({
    title: text.title,
    subtitle:
      `GRPO from the start model, ${g.prompts_per_step} prompts x ${g.group_size} samples per step, lr ${g.lr}; mean over ${params.seeds.length} seeds.`,
    panels: conds.map((c) => ({
      title: CONDITION_SHORT[c],
      svg: levelStepHeatmap(rows.filter((r) => r.condition === c), {
        label: text.label,
        width: 400,
        height: 260,
      }),
    })),
    columns: 3,
    note: `${text.note} ${
      measure === "var" ? "" : `Chance is ${chance.value}${chance.uniform ? "" : " by level"}.`
    }`,
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

/**
 * The drift at a glance: the productive band's centre over steps, one panel
 * per condition (mean over seeds with a t band; dashed: the step-0 centre).
 */
export function driftFigure(perStep: ReturnType<typeof perStepTable>, params: BandParams): Figure {
  const pts = overSteps(perStep, "band_centre");
  const run = new Set((perStep.objects() as { condition: Condition }[]).map((r) => r.condition));
  const conds = CONDITIONS.filter((c) => run.has(c));
  const g = bandConfigs(params).grpo;
  const lo = Math.min(...g.levels), hi = Math.max(...g.levels);
  return composeFigure({
    title: "Does the productive band drift? Its centre over training, per curriculum",
    subtitle:
      `Band centre = level average weighted by the share of sampled groups (${g.group_size} samples at temperature ${g.temperature}) with reward variance; ` +
      `mean over ${params.seeds.length} seeds with a t 95% band. Up = toward longer chains.`,
    legend: [{ label: "band centre", color: "#1f77b4" }, { ...chanceLegend, label: "step-0 centre" }],
    panels: conds.map((c) => {
      const mine = pts.filter((p) => p.series === label(c));
      const start = mine.find((p) => p.step === 0)?.mean;
      return {
        title: CONDITION_SHORT[c] + (mine.length ? "" : " (no group had variance)"),
        svg: stepCurves(mine.map((p) => ({ ...p, series: "band centre" })), {
          yLabel: "band centre (level)",
          yDomain: [lo, hi],
          reference: start,
          colors: { "band centre": "#1f77b4" },
          width: 400,
          height: 240,
        }),
      };
    }),
    columns: 3,
    note:
      `${g.band_prompts} held-out prompts per level and measurement; levels ${lo}-${hi}. The share per level and step is in the next figure.`,
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
