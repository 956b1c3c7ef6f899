/**
 * The quickstart's saved figure: training loss per seed, and exact match per
 * difficulty level (each seed with its Wilson interval over problems, the mean
 * over seeds with its t interval in black), the trained range shaded and
 * exact chance dashed.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { quickstartFigure } from "./figures.ts";
 * import { quickstartParams } from "./params.ts";
 * const final = [1, 2, 3].map((level) => ({ level, n: 10, correct: 5, accuracy: 0.5, lo: 0.24, hi: 0.76 }));
 * const run = { result: { metrics: [{ step: 1, loss: 2 }, { step: 2, loss: 1 }], final } };
 * const fig = quickstartFigure([{ seed: 0, run } as never], quickstartParams("smoke"));
 * assertStringIncludes(fig.svg, "Quickstart: SFT on chained modular arithmetic");
 * ```
 */
import { composeFigure, type Figure } from "../../plot/figure.ts";
import { lossCurves } from "../../plot/charts/loss_curves.ts";
import { levelAccuracy, type LevelPoint } from "../../plot/charts/level_accuracy.ts";
import { seriesLegend } from "../../plot/charts/series.ts";
import { REFERENCE_COLOR } from "../../plot/theme.ts";
import type { QuickstartParams } from "./params.ts";
import type { QuickstartRun } from "./runs.ts";
import { levelSummary, levelTable, lossTable } from "./tables.ts";

const MEAN = "mean over seeds";

/** Loss curves and accuracy by level in one figure. */
export function quickstartFigure(runs: readonly QuickstartRun[], params: QuickstartParams): Figure {
  const loss = (lossTable(runs).objects() as { seed: number; step: number; loss: number }[])
    .map((r) => ({ step: r.step, value: r.loss, series: `seed ${r.seed}` }));
  const perSeed = (levelTable(runs).objects() as {
    seed: number;
    level: number;
    accuracy: number;
    lo: number;
    hi: number;
  }[])
    .map((r): LevelPoint => ({
      level: r.level,
      accuracy: r.accuracy,
      lo: r.lo,
      hi: r.hi,
      series: `seed ${r.seed}`,
    }));
  const summary = levelSummary(runs, params).objects() as {
    level: number;
    mean: number;
    lo: number;
    hi: number;
    chance: number;
  }[];
  const mean = summary.map((r): LevelPoint => ({
    level: r.level,
    accuracy: r.mean,
    lo: Math.max(0, r.lo),
    hi: Math.min(1, r.hi),
    series: MEAN,
  }));
  const seriesNames = [...runs.map((r) => `seed ${r.seed}`), MEAN];
  const colors = { [MEAN]: "#000000" };
  const trained = params.train_levels;
  const contiguous = Math.max(...trained) - Math.min(...trained) + 1 === new Set(trained).size;
  const stepsK = params.steps >= 1000 ? `${params.steps / 1000}k` : `${params.steps}`;
  return composeFigure({
    title: "Quickstart: SFT on chained modular arithmetic",
    subtitle:
      `${params.n_layer}-layer, ${params.n_head}-head, n_embd ${params.n_embd} transformer with learned positions; ` +
      `${stepsK} steps of batch ${params.batch_size} on levels ${trained.join(", ")} (ops ${
        params.ops.join(" ")
      }); ` +
      `${runs.length} seed${runs.length === 1 ? "" : "s"}.`,
    legend: [...seriesLegend(seriesNames, colors), {
      label: "chance (exact)",
      color: REFERENCE_COLOR,
      dashed: true,
    }],
    panels: [
      {
        title: "Training loss on target tokens",
        svg: lossCurves(loss, {
          yLabel: "cross-entropy (nats/token)",
          logY: true,
          smooth: Math.max(1, Math.round(params.steps / 60)),
        }),
      },
      {
        title: "Greedy exact match by difficulty",
        svg: levelAccuracy([...perSeed, ...mean], {
          yLabel: "exact match (fraction correct)",
          xLabel: "difficulty level (operations in the chain)",
          colors,
          chance: summary.map((r) => ({ level: r.level, chance: r.chance })),
          shade: contiguous
            ? { from: Math.min(...trained), to: Math.max(...trained), label: "trained" }
            : undefined,
        }),
      },
    ],
    note:
      `Frozen eval set, first ${params.eval_per_level} problems per level. Seed intervals: Wilson 95% over problems; ` +
      `black: mean over seeds with a Student-t 95% interval (clipped to [0, 1]). Loss: faint per step, solid a moving average.`,
  });
}
