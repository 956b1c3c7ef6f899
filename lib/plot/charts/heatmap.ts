/**
 * A difficulty x step heatmap: one cell per (step, level), coloured by a value
 * in [0, 1] on the lab's sequential scheme, with the value printed in the cell
 * when there is room. Steps are categorical (the measurement steps), so
 * uneven intervals still give equal cells.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { levelStepHeatmap } from "./heatmap.ts";
 * const svg = levelStepHeatmap([{ step: 0, level: 1, value: 0.9 }], { label: "pass rate" });
 * assertStringIncludes(svg, "difficulty level");
 * assertStringIncludes(svg, ">.90<"); // the value printed in its cell
 * ```
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../render.ts";
import { SEQUENTIAL_SCHEME } from "../theme.ts";

export interface HeatCell {
  step: number;
  level: number;
  value: number;
}

export interface HeatmapOptions {
  /** What the colour means (for the cell tooltips' and legend's wording). */
  label: string;
  /** Print values in cells (default: when at most 12 steps). */
  annotate?: boolean;
  width?: number;
  height?: number;
}

/** An SVG panel: x = step, y = level (1 at the bottom), colour = value in [0, 1]. */
export function levelStepHeatmap(cells: readonly HeatCell[], opts: HeatmapOptions): string {
  const steps = [...new Set(cells.map((c) => c.step))].sort((a, b) => a - b);
  const levels = [...new Set(cells.map((c) => c.level))].sort((a, b) => b - a);
  const annotate = opts.annotate ?? steps.length <= 12;
  const marks: Plot.Markish[] = [
    Plot.cell(cells, { x: "step", y: "level", fill: "value", inset: 0.5 }),
  ];
  if (annotate) {
    marks.push(Plot.text(cells, {
      x: "step",
      y: "level",
      text: (d: HeatCell) => d.value.toFixed(2).replace(/^0/, ""),
      fill: (d: HeatCell) => (d.value > 0.6 ? "black" : "white"),
      fontSize: 9,
    }));
  }
  return renderPlot({
    width: opts.width,
    height: opts.height,
    marginLeft: 56,
    x: { type: "band", domain: steps, label: "step", tickFormat: "d" },
    y: { type: "band", domain: levels, label: "difficulty level" },
    color: { type: "linear", scheme: SEQUENTIAL_SCHEME, domain: [0, 1], label: opts.label },
    marks,
  });
}
