/**
 * Training curves: one line per series (run, seed or condition) of a metric
 * against the training step. With `smooth` > 1, the raw values are drawn faint
 * and a centred moving average of `smooth` steps on top.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { lossCurves } from "./loss_curves.ts";
 * const svg = lossCurves([{ step: 1, value: 2, series: "seed 0" }, { step: 2, value: 1, series: "seed 0" }], {
 *   yLabel: "loss (nats/token)",
 * });
 * assertStringIncludes(svg, "training step");
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
  const ticks = opts.logY ? decades(data.map((r) => r.value)) : undefined;
  const grid = { strokeOpacity: 0.12 };
  const marks: Plot.Markish[] = [ticks ? Plot.gridY(ticks, grid) : Plot.gridY(grid)];
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
    y: opts.logY
      ? { label: opts.yLabel, type: "log", domain: [ticks![0], ticks!.at(-1)!], ticks, tickFormat: "~g" }
      : { label: opts.yLabel, type: "linear", nice: true },
    color: seriesColorScale(order),
    marks,
  });
}

/** Powers of ten spanning `values` (log-axis ticks and grid lines at decades only, not 2..9 between). */
export function decades(values: readonly number[]): number[] {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (!pos.length) return [1];
  const lo = Math.floor(Math.log10(Math.min(...pos))), hi = Math.ceil(Math.log10(Math.max(...pos)));
  return Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
}
