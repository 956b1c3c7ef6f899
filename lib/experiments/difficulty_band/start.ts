/**
 * The start model of analysis 1 and its check (DESIGN.md: "check the start
 * model's curve before running any curriculum"; "a graded curve from per-step
 * error keeps every level learnable").
 *
 * The start model is trained on every level the analysis uses, from noisy
 * demonstrations (the arithmetic task's `step_noise`: each scratchpad step of
 * a training target is wrong with that probability). At the training
 * temperature it then makes per-step errors at about that rate, so its pass
 * rate falls with chain length as the geometric expectation says: with
 * per-step error e, a chain of L steps passes with probability (1 - e)^L plus
 * the chance that errors cancel (`noisyChainPass`, exact for `+ -` chains).
 * Every level is within what the model represents, and a GRPO that lowers
 * the per-step error must move the productive band toward longer chains.
 *
 * `startTable` per level: greedy pass (Wilson interval), pass and per-step
 * accuracy at the training temperature (GRPO's step-0 groups pooled over
 * seeds, Wilson interval over the distinct prompts), and two geometric expectations: from the mean
 * sampled per-step accuracy over the trained levels (one number for the
 * whole curve), and from the level's own per-step accuracy (does pass follow
 * from independent per-step errors?). `startCheck` writes the check's
 * sentence; levels measured but not trained (the over-hard ones) are
 * expected at chance and are left out of the fit.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { startCheck } from "./start.ts";
 * const rows = [0.9, 0.7, 0.5, 0.3].map((p, i) => ({
 *   level: i + 1, greedy_pass: 1, sampled_pass: p, sampled_lo: p - 0.05, sampled_hi: p + 0.05,
 *   sampled_step: 0.85, trained: true, expected_pass: p, expected_own: p, chance: 0.1,
 * }));
 * assertStringIncludes(startCheck({ objects: () => rows }), "**Graded by per-step error**");
 * ```
 */
import * as aq from "arquero";
import { composeFigure, type Figure } from "../../plot/figure.ts";
import { levelAccuracy, type LevelPoint } from "../../plot/charts/level_accuracy.ts";
import { seriesLegend } from "../../plot/charts/series.ts";
import { REFERENCE_COLOR } from "../../plot/theme.ts";
import { wilson } from "../../stats/intervals.ts";
import { noisyChainPass } from "../../tasks/arithmetic.ts";
import type { CachedRun } from "../../core/run_cache.ts";
import type { SftResult } from "../../train/sft.ts";
import { fixed2, shortNumber } from "../format.ts";
import { bandConfigs, type BandParams, bandTask } from "./params.ts";
import type { BandRun } from "./runs.ts";
import { measurementTable, type MeasureRow } from "./tables.ts";

/** One row of startTable. */
export interface StartRow {
  level: number;
  n: number;
  greedy_pass: number;
  lo: number;
  hi: number;
  greedy_step: number;
  sampled_pass: number;
  sampled_lo: number;
  sampled_hi: number;
  sampled_step: number;
  /** Was the level in the start model's SFT data? */
  trained: boolean;
  /** Pass expected from the mean sampled per-step accuracy over the trained levels (noisyChainPass). */
  expected_pass: number;
  /** Pass expected from this level's own sampled per-step accuracy. */
  expected_own: number;
  chance: number;
}

/**
 * The seeds' step-0 rates pooled, with a Wilson interval over the `prompts`
 * distinct prompts (every seed samples the same first held-out prompts, and
 * a prompt's samples are not independent: counting prompts, not samples,
 * keeps the interval conservative).
 */
function pooled(rates: readonly number[], prompts: number): { p: number; lo: number; hi: number } {
  if (!rates.length) return { p: NaN, lo: NaN, hi: NaN };
  const p = rates.reduce((a, r) => a + r, 0) / rates.length;
  const [lo, hi] = wilson(p * prompts, prompts);
  return { p, lo, hi };
}

/** The start model per level (see the module doc). */
export function startTable(start: CachedRun<SftResult>, runs: readonly BandRun[], params: BandParams) {
  const task = bandTask(params);
  const step0 = (measurementTable(runs).objects() as MeasureRow[]).filter((r) => r.step === 0);
  const { start: sft, grpo } = bandConfigs(params);
  const prompts = grpo.band_prompts;
  const at = (level: number) => step0.filter((r) => r.level === level);
  const meanOf = (xs: number[]) => xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
  const trained = new Set(sft.train_levels);
  const levels = start.result.final.filter((s) => at(s.level).length && trained.has(s.level));
  const stepAcc = meanOf(levels.map((s) => meanOf(at(s.level).map((r) => r.samp_step_acc))));
  return aq.from(start.result.final.map((s): StartRow => {
    const rows = at(s.level);
    const samp = pooled(rows.map((r) => r.samp), prompts);
    const [lo, hi] = wilson(s.correct, s.n);
    const own = meanOf(rows.map((r) => r.samp_step_acc));
    return {
      level: s.level,
      n: s.n,
      greedy_pass: s.accuracy,
      lo,
      hi,
      greedy_step: meanOf(rows.map((r) => r.step_acc)),
      sampled_pass: samp.p,
      sampled_lo: samp.lo,
      sampled_hi: samp.hi,
      sampled_step: own,
      trained: trained.has(s.level),
      expected_pass: Number.isFinite(stepAcc) ? noisyChainPass(s.level, 1 - stepAcc) : NaN,
      expected_own: Number.isFinite(own) ? noisyChainPass(s.level, 1 - own) : NaN,
      chance: task.chance(s.level),
    };
  }));
}

/** Levels the start model had mastered (greedy pass >= easy_min). */
export function easyLevels(start: CachedRun<SftResult>, params: BandParams): number[] {
  const levels = bandConfigs(params).grpo.levels;
  return start.result.final.filter((s) => s.accuracy >= params.easy_min && levels.includes(s.level))
    .map((s) => s.level);
}

/**
 * The graded-start check, at the training temperature (what GRPO's groups
 * see): at least two levels strictly between chance and `mastered` (Wilson
 * interval above chance), no drop of `cliff` or more between adjacent levels,
 * and, on the trained levels, the curve within `fit` of the geometric
 * expectation from each level's own per-step accuracy (the one-number
 * expectation's largest deviation is reported beside it).
 */
export function startCheck(
  start: { objects(): object[] },
  opts: { mastered?: number; cliff?: number; fit?: number } = {},
): string {
  const mastered = opts.mastered ?? 0.9, cliff = opts.cliff ?? 0.5, fit = opts.fit ?? 0.1;
  const all = (start.objects() as StartRow[]).filter((r) => Number.isFinite(r.sampled_pass))
    .sort((a, b) => a.level - b.level);
  const rows = all.filter((r) => r.trained);
  const untrained = all.filter((r) => !r.trained);
  if (rows.length < 2) {
    return "**Start check.** Fewer than two levels measured at step 0: cannot check the curve.";
  }
  const between = rows.filter((r) => r.sampled_lo > r.chance && r.sampled_pass < mastered);
  const nearChance = rows.filter((r) => r.sampled_lo <= r.chance);
  let drop = { size: -Infinity, from: rows[0].level };
  for (let i = 1; i < rows.length; i++) {
    const d = rows[i - 1].sampled_pass - rows[i].sampled_pass;
    if (d > drop.size) drop = { size: d, from: rows[i - 1].level };
  }
  const devOf = (k: "expected_pass" | "expected_own") =>
    rows.reduce((a, r) => Math.max(a, Math.abs(r.sampled_pass - r[k])), 0);
  const dev = devOf("expected_own"), devPooled = devOf("expected_pass");
  const step = rows.reduce((a, r) => a + r.sampled_step, 0) / rows.length;
  const steps = rows.map((r) => r.sampled_step);
  const graded = between.length >= 2 && drop.size < cliff;
  const geometric = graded && dev <= fit;
  const first = rows[0], last = rows.at(-1)!;
  const beyond = untrained.length
    ? ` Untrained levels: ${
      untrained.map((r) =>
        `L${r.level} ${fixed2(r.sampled_pass)} [${fixed2(r.sampled_lo)}, ${fixed2(r.sampled_hi)}]`
      )
        .join(", ")
    } (chance ${fixed2(untrained[0].chance)}).`
    : "";
  return `**Graded-start check** (at the training temperature, trained levels). Sampled pass falls from ${
    fixed2(first.sampled_pass)
  } at L${first.level} to ${fixed2(last.sampled_pass)} at L${last.level} (greedy: ${
    fixed2(first.greedy_pass)
  } to ${
    fixed2(last.greedy_pass)
  }); ${between.length} level(s) lie between chance and ${mastered} with the Wilson interval above chance; ` +
    `${nearChance.length} level(s) are not distinguishable from chance (${
      nearChance.map((r) => `L${r.level}`).join(", ") || "none"
    }); the largest drop between adjacent levels is ${fixed2(drop.size)} (L${drop.from} to L${
      drop.from + 1
    }). ` +
    `Per-step accuracy of the samples ${fixed2(Math.min(...steps))} to ${
      fixed2(Math.max(...steps))
    } by level (mean ${
      fixed2(step)
    }); the geometric expectation from each level's own per-step accuracy is at most ${
      fixed2(dev)
    } from the measured pass (from the mean alone: at most ${fixed2(devPooled)}).${beyond} ` +
    (geometric
      ? "**Graded by per-step error**: every level is learnable, and lowering the per-step error moves the band."
      : graded
      ? `**Graded, but not as the geometric expectation** (a level is more than ${fit} off): the difficulty is not per-step error alone.`
      : `**Not graded** (needs at least two intermediate levels and no drop of ${cliff} or more): band drift cannot be tested on this start model.`);
}

/** The start model's pass rate by level: greedy, sampled at the training temperature, and the geometric expectation. */
export function startFigure(table: ReturnType<typeof startTable>, params: BandParams): Figure {
  const rows = table.objects() as StartRow[];
  const series = {
    greedy: "greedy pass rate",
    sampled: "pass rate at the training temperature",
    expected: "expectation from the mean per-step accuracy",
    own: "expectation from the level's own per-step accuracy",
  };
  const point = (r: StartRow, v: number, name: string): LevelPoint => ({
    level: r.level,
    accuracy: v,
    lo: v,
    hi: v,
    series: name,
  });
  const pts: LevelPoint[] = [
    ...rows.map((r) => ({
      level: r.level,
      accuracy: r.greedy_pass,
      lo: r.lo,
      hi: r.hi,
      series: series.greedy,
    })),
    ...rows.filter((r) => Number.isFinite(r.sampled_pass)).map((r) => ({
      level: r.level,
      accuracy: r.sampled_pass,
      lo: r.sampled_lo,
      hi: r.sampled_hi,
      series: series.sampled,
    })),
    ...rows.filter((r) => r.trained && Number.isFinite(r.expected_pass)).map((r) =>
      point(r, r.expected_pass, series.expected)
    ),
    ...rows.filter((r) => r.trained && Number.isFinite(r.expected_own)).map((r) =>
      point(r, r.expected_own, series.own)
    ),
  ];
  const { start: sft, grpo } = bandConfigs(params);
  const s = sft.task;
  const noise = s.family === "arithmetic" ? s.step_noise ?? 0 : 0;
  const trained = sft.train_levels;
  const step = rows.filter((r) => r.trained && Number.isFinite(r.sampled_step));
  const acc = step.reduce((a, r) => a + r.sampled_step, 0) / Math.max(step.length, 1);
  return composeFigure({
    title: "Start model: pass rate by difficulty (graded-start check)",
    subtitle:
      `SFT, ${sft.model.n_layer} layers, n_embd ${sft.model.n_embd}, ${sft.model.position} positions, ` +
      `${sft.steps} steps on levels ${trained.join(", ")} from demonstrations with step noise ${
        shortNumber(noise)
      }; per-step accuracy of the samples ${fixed2(acc)}.`,
    legend: [...seriesLegend(Object.values(series)), {
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
        width: 760,
      }),
    }],
    note: `Greedy: first ${sft.eval_per_level} held-out problems per level, Wilson 95% interval. ` +
      `Training temperature: GRPO's step-0 groups pooled over ${params.seeds.length} seeds (${grpo.band_prompts} prompts x ${grpo.group_size} samples each), Wilson 95% interval over the prompts. ` +
      "Expectations (trained levels): (1 - e)^L plus the chance that errors cancel, e = 1 - the per-step accuracy " +
      "of the samples (mean over trained levels, or the level's own).",
  });
}
