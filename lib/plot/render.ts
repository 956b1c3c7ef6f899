/**
 * Observable Plot on the server: renders a plot to a standalone SVG string
 * with linkedom as the DOM (no browser). The SVG gets its `xmlns` so files
 * open in viewers and convert with rsvg-convert.
 *
 * Departs from Plot's defaults: titles, subtitles, captions and legends are
 * drawn by `composeFigure` in SVG, because Plot wraps them in an HTML
 * `<figure>` that is not a valid SVG file; `renderPlot` rejects those options.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import * as Plot from "@observablehq/plot";
 * import { renderPlot } from "./render.ts";
 * const svg = renderPlot({ marks: [Plot.lineY([1, 3, 2])] });
 * assertEquals(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), true);
 * ```
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { LabError } from "../core/errors.ts";
import { FONT_FAMILY, FONT_SIZE, PANEL_HEIGHT, PANEL_WIDTH } from "./theme.ts";

/** The parts of a DOM element used here (Deno's type library has no DOM). */
interface RenderedElement {
  tagName: string;
  setAttribute(name: string, value: string): void;
  outerHTML: string;
}

let dom: unknown;

function serverDocument(): unknown {
  dom ??=
    (parseHTML("<!doctype html><html><head></head><body></body></html>") as unknown as { document: unknown })
      .document;
  return dom;
}

/** Render `options` (any Plot.plot options but title/subtitle/caption/legend) to an SVG string. */
export function renderPlot(options: Plot.PlotOptions): string {
  for (const k of ["title", "subtitle", "caption"] as const) {
    if (options[k] !== undefined) {
      throw new LabError(`renderPlot got '${k}'`, "pass titles and captions to composeFigure instead");
    }
  }
  for (const k of ["color", "opacity", "r", "symbol"] as const) {
    const scale = options[k] as { legend?: unknown } | undefined;
    if (scale?.legend) {
      throw new LabError(`renderPlot got ${k}.legend`, "pass the legend entries to composeFigure instead");
    }
  }
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const el = Plot.plot({
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    className: "hl-plot",
    ...given,
    style: {
      fontSize: `${FONT_SIZE}px`,
      fontFamily: FONT_FAMILY,
      background: "white",
      ...styleObject(options.style),
    },
    document: serverDocument() as Plot.PlotOptions["document"],
  }) as unknown as RenderedElement;
  if (el.tagName.toLowerCase() !== "svg") {
    throw new LabError(
      `Plot returned a <${el.tagName.toLowerCase()}>, not an <svg>`,
      "drop the legend or title options",
    );
  }
  el.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return el.outerHTML;
}

function styleObject(style: Plot.PlotOptions["style"]): Record<string, string> {
  return style && typeof style === "object" ? style as Record<string, string> : {};
}
