/**
 * Training curves: one line per series (run, seed or condition) of a metric
 * against the training step. With `smooth` > 1, the raw values are drawn faint
 * and a centred moving average of `smooth` steps on top.
 *
 * @example
 * ```ts
 * import { lossCurves } from "./loss_curves.ts";
 * const svg = lossCurves([{ step: 1, value: 2, series: "seed 0" }, { step: 2, value: 1, series: "seed 0" }], {
 *   yLabel: "loss (nats/token)",
 * });
 * svg.includes("training step"); // true
 * ```
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../render.ts";
import { seriesColorScale, seriesOrder } from "./series.ts";

export interface CurvePoint {
  step: number;
  value: number;
  series: string;
}

export interface LossCurveOptions {
  yLabel: string;
  /** Log-scale y axis (losses spanning decades). */
  logY?: boolean;
  /** Moving-average window in points (1 = raw only). */
  smooth?: number;
  width?: number;
  height?: number;
}

/** An SVG panel of `rows` as lines coloured by series. */
export function lossCurves(rows: readonly CurvePoint[], opts: LossCurveOptions): string {
  const order = seriesOrder(rows);
  const k = Math.max(1, Math.floor(opts.smooth ?? 1));
  const data = rows.filter((r) => Number.isFinite(r.value) && (!opts.logY || r.value > 0));
  const line = { x: "step", y: "value", stroke: "series", z: "series" };
  const marks: Plot.Markish[] = [Plot.gridY({ strokeOpacity: 0.12 })];
  if (k > 1) {
    marks.push(Plot.line(data, { ...line, strokeOpacity: 0.2, strokeWidth: 1 }));
    marks.push(
      Plot.line(data, Plot.windowY({ k, anchor: "middle", reduce: "mean" }, { ...line, strokeWidth: 2 })),
    );
  } else {
    marks.push(Plot.line(data, { ...line, strokeWidth: 1.8 }));
  }
  return renderPlot({
    width: opts.width,
    height: opts.height,
    marginLeft: 56,
    x: { label: "training step", grid: false },
    y: {
      label: opts.yLabel,
      type: opts.logY ? "log" : "linear",
      nice: true,
      tickFormat: opts.logY ? "~g" : undefined,
    },
    color: seriesColorScale(order),
    marks,
  });
}
