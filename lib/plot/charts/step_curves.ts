/**
 * A measurement over training steps per series (curricula, conditions): the
 * mean as a line with dots, its interval over seeds as a shaded band, and an
 * optional horizontal reference (e.g. 0 change, or chance).
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { stepCurves } from "./step_curves.ts";
 * const svg = stepCurves([{ step: 0, mean: 0, lo: -0.1, hi: 0.1, series: "uniform" }], { yLabel: "change" });
 * assertStringIncludes(svg, "change");
 * ```
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../render.ts";
import { REFERENCE_COLOR, REFERENCE_DASH } from "../theme.ts";
import { type ColorOverrides, seriesColorScale, seriesOrder } from "./series.ts";

export interface StepPoint {
  step: number;
  mean: number;
  lo: number;
  hi: number;
  series: string;
}

export interface StepCurvesOptions {
  yLabel: string;
  /** Fixed y range (default: fit the data and the reference). */
  yDomain?: [number, number];
  /** A dashed horizontal reference line. */
  reference?: number;
  colors?: ColorOverrides;
  width?: number;
  height?: number;
}

/** An SVG panel of per-series means with interval bands against step. */
export function stepCurves(rows: readonly StepPoint[], opts: StepCurvesOptions): string {
  const order = seriesOrder(rows);
  const marks: Plot.Markish[] = [Plot.gridY({ strokeOpacity: 0.12 })];
  if (opts.reference !== undefined) {
    marks.push(Plot.ruleY([opts.reference], { stroke: REFERENCE_COLOR, strokeDasharray: REFERENCE_DASH }));
  }
  marks.push(
    Plot.areaY(rows, { x: "step", y1: "lo", y2: "hi", fill: "series", z: "series", fillOpacity: 0.15 }),
    Plot.line(rows, { x: "step", y: "mean", stroke: "series", z: "series", strokeWidth: 1.8 }),
    Plot.dot(rows, { x: "step", y: "mean", fill: "series", r: 2.5 }),
  );
  return renderPlot({
    width: opts.width,
    height: opts.height,
    marginLeft: 56,
    x: { label: "step", tickFormat: "d" },
    y: { label: opts.yLabel, grid: false, ...(opts.yDomain ? { domain: opts.yDomain } : {}) },
    color: seriesColorScale(order, opts.colors),
    marks,
  });
}
