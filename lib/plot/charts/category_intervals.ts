/**
 * Means with intervals per category (methods, conditions) and series (modes):
 * one dot per (category, series) with its interval as a vertical rule, series
 * side by side inside each category, and an optional dashed reference line.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { categoryIntervals } from "./category_intervals.ts";
 * const svg = categoryIntervals([{ category: "sft", series: "bare", mean: 0.5, lo: 0.4, hi: 0.6 }], { yLabel: "accuracy" });
 * assertStringIncludes(svg, "accuracy");
 * ```
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../render.ts";
import { REFERENCE_COLOR, REFERENCE_DASH } from "../theme.ts";
import { type ColorOverrides, seriesColorScale, seriesOrder } from "./series.ts";

export interface CategoryPoint {
  category: string;
  series: string;
  mean: number;
  lo: number;
  hi: number;
}

export interface CategoryIntervalsOptions {
  yLabel: string;
  xLabel?: string;
  yDomain?: [number, number];
  reference?: number;
  colors?: ColorOverrides;
  width?: number;
  height?: number;
}

/** An SVG panel: per category, one dot and interval per series. */
export function categoryIntervals(rows: readonly CategoryPoint[], opts: CategoryIntervalsOptions): string {
  const order = seriesOrder(rows);
  const categories = [...new Set(rows.map((r) => r.category))];
  const marks: Plot.Markish[] = [Plot.gridY({ strokeOpacity: 0.12 })];
  if (opts.reference !== undefined) {
    marks.push(Plot.ruleY([opts.reference], { stroke: REFERENCE_COLOR, strokeDasharray: REFERENCE_DASH }));
  }
  const finite = rows.filter((r) => Number.isFinite(r.lo) && Number.isFinite(r.hi));
  marks.push(
    Plot.ruleX(finite, { fx: "category", x: "series", y1: "lo", y2: "hi", stroke: "series", strokeWidth: 2 }),
    Plot.dot(rows, { fx: "category", x: "series", y: "mean", fill: "series", r: 3.5 }),
  );
  return renderPlot({
    width: opts.width ?? Math.max(560, 70 * categories.length),
    height: opts.height,
    marginLeft: 56,
    // labels are rotated 30 degrees: their drop grows with the longest one (about 3.6 px a character at 10 px)
    marginBottom: Math.max(95, Math.ceil(20 + 3.6 * Math.max(0, ...categories.map((c) => String(c).length)))),
    fx: { domain: categories, label: opts.xLabel ?? null, tickRotate: -30, padding: 0.15 },
    x: { domain: order, axis: null },
    y: { label: opts.yLabel, grid: false, ...(opts.yDomain ? { domain: opts.yDomain } : {}) },
    color: seriesColorScale(order, opts.colors),
    marks,
  });
}
