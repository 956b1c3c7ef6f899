/**
 * Notebook 02's gate figure: per family, accuracy by level in every mode
 * (bare; plan-solve; draft-verify with a fresh and with the warm bank), mean
 * over base-model seeds with its interval, beside the level's ceiling (the
 * exact Bayes accuracy for precedent) and exact chance (dashed).
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import * as aq from "arquero";
 * import { gateFigure } from "./figures.ts";
 * const row = (mode: string, level: number) => ({ family: "arithmetic", mode, level, seeds: 3, accuracy: 0.5, lo: 0.4, hi: 0.6, ceiling: 1 });
 * const fig = gateFigure(aq.from([row("bare", 1), row("harness", 1)]), () => 0.1);
 * assertStringIncludes(fig.svg, "Does the harness help the base model?");
 * ```
 */
import { composeFigure, type Figure } from "../../plot/figure.ts";
import { levelAccuracy, type LevelPoint } from "../../plot/charts/level_accuracy.ts";
import { seriesLegend } from "../../plot/charts/series.ts";
import { REFERENCE_COLOR } from "../../plot/theme.ts";
import type { HarnessFamily } from "./params.ts";
import { HARNESS_TEXT, type modeTable } from "./tables.ts";

const MODE_TEXT: Record<string, string> = {
  bare: "bare",
  harness: "plan-solve",
  fresh: "draft-verify, fresh bank",
  warm: "draft-verify, warm bank",
};
const CEILING = "Bayes ceiling";

/** Accuracy by level per mode, one panel per family. */
export function gateFigure(
  modes: ReturnType<typeof modeTable>,
  chance: (family: HarnessFamily, level: number) => number,
): Figure {
  const rows = modes.objects() as {
    family: HarnessFamily;
    mode: string;
    level: number;
    seeds: number;
    accuracy: number;
    lo: number;
    hi: number;
    ceiling: number;
  }[];
  const families = [...new Set(rows.map((r) => r.family))];
  // One colour per mode across both panels (each panel alone would restart the palette).
  const series = [
    ...new Set(rows.map((r) => MODE_TEXT[r.mode] ?? r.mode)),
    ...(families.includes("precedent") ? [CEILING] : []),
  ];
  const fixed = { [MODE_TEXT.bare]: "#000000", [CEILING]: REFERENCE_COLOR };
  const colors = Object.fromEntries(seriesLegend(series, fixed).map((e) => [e.label, e.color]));
  const clip = (x: number, fallback: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : fallback);
  const panels = families.map((family) => {
    const mine = rows.filter((r) => r.family === family);
    const points: LevelPoint[] = mine.map((r) => ({
      level: r.level,
      accuracy: r.accuracy,
      lo: clip(r.lo, r.accuracy),
      hi: clip(r.hi, r.accuracy),
      series: MODE_TEXT[r.mode] ?? r.mode,
    }));
    const levels = [...new Set(mine.map((r) => r.level))];
    if (family === "precedent") {
      for (const level of levels) {
        const c = mine.find((r) => r.level === level)!.ceiling;
        points.push({ level, accuracy: c, lo: c, hi: c, series: CEILING });
      }
    }
    return {
      title: `${family === "arithmetic" ? "Chained arithmetic" : "Precedent classification"}: ${
        HARNESS_TEXT[family]
      }`,
      svg: levelAccuracy(points, {
        yLabel: family === "arithmetic" ? "exact match (fraction correct)" : "accuracy (fraction correct)",
        xLabel: family === "arithmetic"
          ? "difficulty level (operations in the chain)"
          : "difficulty level (noise)",
        colors,
        chance: levels.map((level) => ({ level, chance: chance(family, level) })),
      }),
    };
  });
  const seeds = rows[0]?.seeds ?? 0;
  return composeFigure({
    title: "Does the harness help the base model? Bare vs harness, by level",
    subtitle: `Each family's base model (SFT on a mix of bare and harness formats), ${seeds} seed${
      seeds === 1 ? "" : "s"
    }, greedy, on the frozen eval set.`,
    legend: [...seriesLegend(series, colors), {
      label: "chance (exact)",
      color: REFERENCE_COLOR,
      dashed: true,
    }],
    panels,
    note: seeds > 1
      ? `Mean over ${seeds} base-model seeds with a Student-t 95% interval (clipped to [0, 1]). ` +
        "The gate compares each harness mode with bare paired per problem (table above)."
      : "One seed: Wilson 95% intervals over problems. The gate compares each harness mode with bare paired per problem.",
  });
}
