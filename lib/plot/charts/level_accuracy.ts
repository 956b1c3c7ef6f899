/**
 * Accuracy by difficulty level: a dot per (series, level) with its interval
 * as a vertical bar, dots of one series joined by a thin line, series offset
 * sideways so their intervals do not hide each other, and an optional chance
 * level per difficulty drawn as a dashed grey step line.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { levelAccuracy } from "./level_accuracy.ts";
 * const svg = levelAccuracy([{ level: 1, accuracy: 0.9, lo: 0.8, hi: 0.95, series: "sft" }], {
 *   yLabel: "exact match",
 * });
 * assertStringIncludes(svg, "difficulty level");
 * ```
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../render.ts";
import { REFERENCE_COLOR, REFERENCE_DASH } from "../theme.ts";
import { type ColorOverrides, seriesColorScale, seriesOrder } from "./series.ts";

export interface LevelPoint {
  level: number;
  accuracy: number;
  /** Interval bounds (e.g. Wilson 95% or a bootstrap over seeds). */
  lo: number;
  hi: number;
  series: string;
}

export interface LevelAccuracyOptions {
  yLabel: string;
  xLabel?: string;
  /** Fixed colours for some series (see seriesColorScale). */
  colors?: ColorOverrides;
  /** Shade a range of levels (e.g. the trained range) with a label. */
  shade?: { from: number; to: number; label: string };
  /** Chance per level, drawn as a dashed reference line. */
  chance?: readonly { level: number; chance: number }[];
  width?: number;
  height?: number;
}

/** An SVG panel of accuracy with intervals against level, coloured by series. */
export function levelAccuracy(rows: readonly LevelPoint[], opts: LevelAccuracyOptions): string {
  const order = seriesOrder(rows);
  const spread = order.length > 1 ? 0.36 / (order.length - 1) : 0;
  const data = rows.map((r) => ({
    ...r,
    x: r.level + (order.indexOf(r.series) - (order.length - 1) / 2) * spread,
  }));
  const levels = [...new Set(rows.map((r) => r.level))].sort((a, b) => a - b);
  const marks: Plot.Markish[] = [];
  if (opts.shade) {
    const { from, to, label } = opts.shade;
    marks.push(
      Plot.rectX([{ x1: from - 0.5, x2: to + 0.5 }], {
        x1: "x1",
        x2: "x2",
        y1: 0,
        y2: 1,
        fill: "#000000",
        fillOpacity: 0.05,
      }),
      Plot.text([{ x: (from + to) / 2, label }], {
        x: "x",
        y: 0,
        text: "label",
        dy: -10,
        fill: "#555555",
      }),
    );
  }
  marks.push(Plot.gridY({ strokeOpacity: 0.12 }));
  if (opts.chance?.length) {
    const chance = [...opts.chance].sort((a, b) => a.level - b.level);
    marks.push(Plot.line(chance, {
      x: "level",
      y: "chance",
      curve: "step",
      stroke: REFERENCE_COLOR,
      strokeDasharray: REFERENCE_DASH,
      strokeWidth: 1.5,
    }));
  }
  marks.push(
    Plot.line(data, {
      x: "x",
      y: "accuracy",
      stroke: "series",
      z: "series",
      strokeOpacity: 0.5,
      strokeWidth: 1,
    }),
    Plot.ruleX(data, { x: "x", y1: "lo", y2: "hi", stroke: "series", strokeWidth: 2 }),
    Plot.dot(data, { x: "x", y: "accuracy", fill: "series", r: 3.5, stroke: "white", strokeWidth: 0.8 }),
  );
  return renderPlot({
    width: opts.width,
    height: opts.height,
    marginLeft: 56,
    x: {
      label: opts.xLabel ?? "difficulty level",
      ticks: levels,
      tickFormat: "d",
      domain: [levels[0] - 0.5, levels.at(-1)! + 0.5],
    },
    y: { label: opts.yLabel, domain: [0, 1], grid: false },
    color: seriesColorScale(order, opts.colors),
    marks,
  });
}
