/**
 * Notebook 03's figures, from its tables: both ladders' base curves; writing
 * and using gain against base pass rate side by side with t intervals over
 * seeds; the full evolver x agent heatmaps; the uptake probe.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { gainPanel } from "./figures.ts";
 * const svg = gainPanel([{ base: 0.5, gain: 0.1, lo: 0, hi: 0.2, series: "padded", tier: "t" }], "gain");
 * assertStringIncludes(svg, "<svg");
 * ```
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plot/render.ts";
import { composeFigure, type Figure } from "../../plot/figure.ts";
import { seriesColorScale, seriesLegend } from "../../plot/charts/series.ts";
import { REFERENCE_COLOR, REFERENCE_DASH } from "../../plot/theme.ts";
import { type Ladder, LADDER_TEXT } from "./runs.ts";
import type { AttentionRow } from "./attention.ts";

interface Point {
  base: number;
  gain: number;
  lo: number;
  hi: number;
  series: string;
  tier: string;
}

const finite = (x: number, y: number) => Number.isFinite(x) ? x : y;

/** Gain (with interval bars) against base pass rate, one line per series. */
export function gainPanel(
  points: readonly Point[],
  yLabel: string,
  opts: { chance?: number; yDomain?: [number, number] } = {},
): string {
  const order = [...new Set(points.map((p) => p.series))];
  const pts = points.map((p) => ({ ...p, lo: finite(p.lo, p.gain), hi: finite(p.hi, p.gain) }));
  return renderPlot({
    height: 260,
    x: { label: "base pass rate of the tier (frozen eval set)", domain: [0, 1] },
    y: { label: yLabel, grid: true, ...(opts.yDomain ? { domain: opts.yDomain } : {}) },
    color: seriesColorScale(order),
    marks: [
      Plot.ruleY([0], { stroke: REFERENCE_COLOR }),
      ...(opts.chance !== undefined
        ? [Plot.ruleX([opts.chance], { stroke: REFERENCE_COLOR, strokeDasharray: REFERENCE_DASH })]
        : []),
      Plot.ruleX(pts, { x: "base", y1: "lo", y2: "hi", stroke: "series", strokeOpacity: 0.7 }),
      Plot.line(pts, { x: "base", y: "gain", stroke: "series", sort: "base", z: "series" }),
      Plot.dot(pts, { x: "base", y: "gain", fill: "series", r: 3.5 }),
      Plot.text(pts.filter((p) => p.series === order[0]), {
        x: "base",
        y: "hi",
        text: "tier",
        dy: -8,
        fontSize: 8.5,
        fill: "#444",
      }),
    ],
  });
}

/** Base pass rate of each ladder's tiers: mean over training seeds with t bars, and each training seed's model as a dot. */
export function baseFigure(
  rows: readonly {
    ladder: Ladder;
    tier: string;
    steps: number;
    params: number;
    base: number;
    lo: number;
    hi: number;
    train_seeds: number;
  }[],
  seedRows: readonly { ladder: Ladder; tier: string; base: number }[],
  chance: number,
): Figure {
  const panel = (ladder: Ladder) => {
    const mine = rows.filter((r) => r.ladder === ladder).map((r) => ({
      ...r,
      x: ladder === "budget" ? r.steps : r.params,
    }));
    const xOf = new Map(mine.map((r) => [r.tier, r.x]));
    const dots = seedRows.filter((r) => r.ladder === ladder).map((r) => ({ ...r, x: xOf.get(r.tier)! }));
    return renderPlot({
      height: 260,
      marginRight: 44,
      marginLeft: 44,
      x: { type: "log", label: ladder === "budget" ? "training steps (log)" : "parameters (log)" },
      y: { domain: [0, 1], label: "bare pass rate", grid: true },
      marks: [
        Plot.ruleY([chance], { stroke: REFERENCE_COLOR, strokeDasharray: REFERENCE_DASH }),
        Plot.ruleX(mine, { x: "x", y1: "lo", y2: "hi", stroke: "#0072B2" }),
        Plot.line(mine, { x: "x", y: "base", stroke: "#0072B2" }),
        Plot.dot(dots, { x: "x", y: "base", stroke: "#E69F00", r: 2.5, strokeWidth: 1.2 }),
        Plot.dot(mine, { x: "x", y: "base", fill: "#0072B2", r: 3.5 }),
        Plot.text(mine, { x: "x", y: "hi", text: "tier", dy: -8, fontSize: 9 }),
      ],
    });
  };
  return composeFigure({
    title: "Tier ladders: bare pass rate on the frozen fact eval set",
    legend: [
      { label: `mean over ${rows[0]?.train_seeds ?? 0} training seeds (t 95%)`, color: "#0072B2" },
      { label: "one training seed", color: "#E69F00" },
      { label: "chance", color: REFERENCE_COLOR, dashed: true },
    ],
    panels: [
      { title: LADDER_TEXT.budget, svg: panel("budget") },
      { title: LADDER_TEXT.size, svg: panel("size") },
    ],
    note: "Greedy digit answer to bare queries (no sheet), 100 queries per frequency band.",
  });
}

/** Writing and using gain against base pass rate, per ladder (rows) and role (columns). */
export function gainsFigure(
  writing: readonly (Point & { ladder: Ladder })[],
  using: readonly (Point & { ladder: Ladder })[],
  seeds: { train: number; workload: number },
): Figure {
  const order = [...new Set([...writing, ...using].map((p) => p.series))];
  const panels = (["size", "budget"] as const).flatMap((ladder) => [
    {
      title: `${LADDER_TEXT[ladder]}: writing`,
      svg: gainPanel(writing.filter((p) => p.ladder === ladder), "writing gain"),
    },
    {
      title: `${LADDER_TEXT[ladder]}: using`,
      svg: gainPanel(using.filter((p) => p.ladder === ladder), "using gain"),
    },
  ]);
  return composeFigure({
    title: "Writing gain vs using gain against the tier's base pass rate",
    subtitle:
      "Writing: an evolver's sheet, mean lift over its ladder's agents. Using: an agent's mean lift from its " +
      "ladder's evolvers' sheets. Own sheet excluded; x is the base pass rate of the evolver (writing) or agent (using).",
    legend: seriesLegend(order),
    columns: 2,
    panels,
    note:
      `Gain = test accuracy with the evolved sheet minus with the blank sheet, mean over arrangements; bars: t 95% over ${seeds.train} training seeds (each the mean over ${seeds.workload} workload seeds); x: mean base over training seeds.`,
  });
}

/** The full evolver x agent gain matrix for each ladder (one rule). */
export function heatmapFigure(
  cells: readonly { ladder: Ladder; evolver: string; agent: string; gain: number }[],
  tierOrder: Record<Ladder, string[]>,
  rule: string,
  trainSeeds = 1,
): Figure {
  const max = Math.max(0.05, ...cells.map((c) => Math.abs(c.gain)).filter(Number.isFinite));
  const panel = (ladder: Ladder) => {
    const mine = cells.filter((c) => c.ladder === ladder);
    return renderPlot({
      height: 300,
      marginLeft: 96,
      marginBottom: 64,
      x: {
        type: "band",
        domain: tierOrder[ladder],
        label: "agent (uses the sheet)",
        tickRotate: -30,
        labelOffset: 58,
      },
      y: { type: "band", domain: tierOrder[ladder], label: "evolver (wrote it)", labelOffset: 90 },
      color: { type: "linear", scheme: "BuRd", reverse: true, domain: [-max, max] },
      marks: [
        Plot.cell(mine, { x: "agent", y: "evolver", fill: "gain", inset: 0.5 }),
        Plot.text(mine, {
          x: "agent",
          y: "evolver",
          text: (d: { gain: number }) => (d.gain >= 0 ? "+" : "") + d.gain.toFixed(2),
          fontSize: 9,
        }),
      ],
    });
  };
  return composeFigure({
    title: `Evolver x agent gain, rule "${rule}" (every pair, own sheet on the diagonal)`,
    subtitle: `Colour: gain in test accuracy, mean over ${trainSeeds} training seed${
      trainSeeds === 1 ? "" : "s"
    } (each evolver and agent of one seed), blue positive, red negative (scale ±${max.toFixed(2)}).`,
    panels: [
      { title: LADDER_TEXT.size, svg: panel("size") },
      { title: LADDER_TEXT.budget, svg: panel("budget") },
    ],
  });
}

/** Uptake probe: uses a right entry it did not know; copies a wrong entry it knew. */
export function probeFigure(
  rows: readonly {
    ladder: Ladder;
    agent: string;
    base: number;
    uses_right: number;
    uses_lo: number;
    uses_hi: number;
    copies_wrong: number;
    copies_lo: number;
    copies_hi: number;
  }[],
  chance: number,
): Figure {
  const pts = (ladder: Ladder) =>
    rows.filter((r) => r.ladder === ladder).flatMap((r) => [
      {
        base: r.base,
        gain: r.uses_right,
        lo: r.uses_lo,
        hi: r.uses_hi,
        series: "uses a right entry it did not know",
        tier: r.agent,
      },
      {
        base: r.base,
        gain: r.copies_wrong,
        lo: r.copies_lo,
        hi: r.copies_hi,
        series: "copies a wrong entry it knew",
        tier: r.agent,
      },
    ]).filter((p) => Number.isFinite(p.gain));
  return composeFigure({
    title: "Uptake probe: why uptake is low at either end",
    legend: seriesLegend(["uses a right entry it did not know", "copies a wrong entry it knew"]),
    panels: [
      { title: LADDER_TEXT.size, svg: gainPanel(pts("size"), "share of probe answers", { chance }) },
      { title: LADDER_TEXT.budget, svg: gainPanel(pts("budget"), "share of probe answers", { chance }) },
    ],
    note:
      "Per agent and seed: a sheet with right entries on keys it got wrong and wrong entries on keys it got right " +
      "(blank-sheet answers), scored over every arrangement; bars: Wilson 95% pooled over training and workload seeds. Dashed: chance.",
  });
}

/** Attention mass on the entry's slot against the agent's base pass rate, with the uniform reference. */
export function attentionFigure(rows: readonly AttentionRow[]): Figure {
  const BEST = "best head", MEAN = "mean over layers and heads", UNIFORM = "uniform attention";
  const pts = (ladder: Ladder) =>
    rows.filter((r) => r.ladder === ladder).flatMap((r) => [
      { base: r.base, gain: r.mass_best, lo: r.best_lo, hi: r.best_hi, series: BEST, tier: r.agent },
      { base: r.base, gain: r.mass_mean, lo: r.mean_lo, hi: r.mean_hi, series: MEAN, tier: r.agent },
      { base: r.base, gain: r.uniform, lo: r.uniform, hi: r.uniform, series: UNIFORM, tier: r.agent },
    ]).filter((p) => Number.isFinite(p.gain));
  return composeFigure({
    title: "Attention mass on the sheet entry, from the answer position",
    legend: seriesLegend([BEST, MEAN, UNIFORM]),
    panels: [
      {
        title: LADDER_TEXT.size,
        svg: gainPanel(pts("size"), "attention mass on the entry", { yDomain: [0, 1.12] }),
      },
      {
        title: LADDER_TEXT.budget,
        svg: gainPanel(pts("budget"), "attention mass on the entry", { yDomain: [0, 1.12] }),
      },
    ],
    note:
      `Probe prompts (the queried key's entry in one slot), every arrangement; per training seed the mean over ` +
      `prompts, bars: t 95% over ${
        rows[0]?.train_seeds ?? 0
      } training seeds. Best head: the layer and head with the most mass in that seed. ` +
      "Diagnostic forward pass on the stock tfjs path.",
  });
}
