/**
 * A value per token along one sequence, one line per series (e.g. teacher
 * contexts), the tokens written along the x axis so a reader sees which token
 * each value belongs to.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { tokenCurves } from "./token_curves.ts";
 * const svg = tokenCurves([{ position: 0, token: "8", value: 1, series: "solution" }], { yLabel: "nats" });
 * assertStringIncludes(svg, "nats");
 * ```
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../render.ts";
import { REFERENCE_COLOR, REFERENCE_DASH } from "../theme.ts";
import { type ColorOverrides, seriesColorScale, seriesOrder } from "./series.ts";

export interface TokenPoint {
  position: number;
  token: string;
  value: number;
  series: string;
}

export interface TokenCurvesOptions {
  yLabel: string;
  reference?: number;
  colors?: ColorOverrides;
  width?: number;
  height?: number;
}

/** An SVG panel of per-token values, tokens as x tick labels. */
export function tokenCurves(rows: readonly TokenPoint[], opts: TokenCurvesOptions): string {
  const order = seriesOrder(rows);
  const tokens = new Map(rows.map((r) => [r.position, r.token]));
  const positions = [...tokens.keys()].sort((a, b) => a - b);
  const marks: Plot.Markish[] = [Plot.gridY({ strokeOpacity: 0.12 })];
  if (opts.reference !== undefined) {
    marks.push(Plot.ruleY([opts.reference], { stroke: REFERENCE_COLOR, strokeDasharray: REFERENCE_DASH }));
  }
  marks.push(
    Plot.line(rows, { x: "position", y: "value", stroke: "series", z: "series", strokeWidth: 1.6 }),
    Plot.dot(rows, { x: "position", y: "value", fill: "series", r: 2.5 }),
  );
  return renderPlot({
    width: opts.width ?? Math.max(560, 22 * positions.length + 80),
    height: opts.height,
    marginLeft: 56,
    x: { label: "response token", ticks: positions, tickFormat: (p: number) => tokens.get(p) ?? "" },
    y: { label: opts.yLabel, grid: false },
    color: seriesColorScale(order, opts.colors),
    marks,
  });
}
