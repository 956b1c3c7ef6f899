/**
 * The quickstart's result tables (arquero): training loss per seed, exact
 * match per seed and level (Wilson intervals over problems), the summary over
 * seeds against the task's exact chance, and the first seed's completions.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { lossTable } from "./tables.ts";
 * assertEquals(lossTable([]).numRows(), 0);
 * ```
 */
import * as aq from "arquero";
import { compareToReference, meanInterval } from "../../stats/intervals.ts";
import { type QuickstartParams, quickstartTask } from "./params.ts";
import type { QuickstartRun } from "./runs.ts";

/** Per-step training loss of every seed: columns seed, step, loss. */
export function lossTable(runs: readonly QuickstartRun[]) {
  const rows = runs.flatMap(({ seed, run }) =>
    run.result.metrics.filter((m) => typeof m.loss === "number").map((m) => ({
      seed,
      step: m.step,
      loss: m.loss as number,
    }))
  );
  return aq.from(rows);
}

/** Final exact match per seed and level (Wilson interval over problems): seed, level, n, correct, accuracy, lo, hi. */
export function levelTable(runs: readonly QuickstartRun[]) {
  return aq.from(runs.flatMap(({ seed, run }) => run.result.final.map((s) => ({ seed, ...s }))));
}

/**
 * Across seeds, per level: mean exact match with a t interval over seeds
 * (clipped to [0, 1], the range of a proportion, as in the figure), exact chance, whether the level was trained on, and where the interval lies
 * against the task's exact chance.
 */
export function levelSummary(runs: readonly QuickstartRun[], params: QuickstartParams) {
  const per = levelTable(runs).objects() as { seed: number; level: number; accuracy: number }[];
  const levels = [...new Set(per.map((r) => r.level))].sort((a, b) => a - b);
  const task = quickstartTask(params);
  return aq.from(levels.map((level) => {
    const m = meanInterval(per.filter((r) => r.level === level).map((r) => r.accuracy));
    const chance = task.chance(level);
    return {
      level,
      trained: params.train_levels.includes(level),
      seeds: m.n,
      mean: m.mean,
      lo: Math.max(0, m.lo),
      hi: Math.min(1, m.hi),
      chance,
      vs_chance: compareToReference(m.lo, m.hi, chance),
    };
  }));
}

/** Greedy completions of the first seed's final model: level, prompt, completion, correct. */
export function completionTable(runs: readonly QuickstartRun[]) {
  const first = runs[0]?.run.result.samples ?? [];
  return aq.from(
    first.map((s) => ({ level: s.level, prompt: s.prompt, completion: s.completion, correct: s.correct })),
  );
}
