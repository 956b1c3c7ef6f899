/**
 * lib/plot: Observable Plot figures rendered on the server (linkedom), in one
 * look (theme.ts), composed into standalone SVG figures with titles, legends
 * and notes, shown inline in Jupyter and saved to figures/ as SVG and PNG.
 *
 * @example
 * ```ts
 * import { composeFigure, lossCurves, seriesLegend } from "./mod.ts";
 * const rows = [{ step: 1, value: 2, series: "a" }, { step: 2, value: 1, series: "a" }];
 * const fig = composeFigure({ title: "t", legend: seriesLegend(["a"]), panels: [{ svg: lossCurves(rows, { yLabel: "loss" }) }] });
 * fig.width > 0; // true
 * ```
 *
 * @module
 */
export * from "./theme.ts";
export * from "./render.ts";
export * from "./figure.ts";
export * from "./save.ts";
export * from "./charts/series.ts";
export * from "./charts/loss_curves.ts";
export * from "./charts/level_accuracy.ts";
