/**
 * A figure: one SVG file holding a title, an optional subtitle, a legend of
 * coloured swatches, one or more plot panels in a grid (each with its own
 * heading) and a footnote. Everything is SVG (nested <svg> panels), so the
 * same string is shown inline in Jupyter, saved as figures/NAME.svg and
 * converted to PNG.
 *
 * A `Figure` displays itself in a Deno Jupyter notebook when it is a cell's
 * last expression (Symbol.for("Jupyter.display")).
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import * as Plot from "@observablehq/plot";
 * import { composeFigure } from "./figure.ts";
 * import { renderPlot } from "./render.ts";
 * const fig = composeFigure({
 *   title: "Loss",
 *   panels: [{ svg: renderPlot({ marks: [Plot.lineY([3, 2, 1])] }) }],
 * });
 * assertStringIncludes(fig.svg, ">Loss</text>");
 * ```
 */
import { LabError } from "../core/errors.ts";
import { JUPYTER_DISPLAY } from "../core/display.ts";
import { FONT_FAMILY, REFERENCE_DASH } from "./theme.ts";

/** One legend entry: a line or dot swatch in `color`, optionally dashed. */
export interface LegendEntry {
  label: string;
  color: string;
  dashed?: boolean;
}

export interface PanelSpec {
  /** An SVG string from renderPlot (must carry width and height attributes). */
  svg: string;
  /** Heading above the panel. */
  title?: string;
}

export interface FigureSpec {
  title: string;
  subtitle?: string;
  legend?: LegendEntry[];
  panels: PanelSpec[];
  /** Panels per row (default: all in one row up to 2, then 2 per row). */
  columns?: number;
  /** Small print under the panels: data source, interval method, seeds. */
  note?: string;
}

/** A composed figure: the SVG and its size. */
export class Figure {
  constructor(readonly svg: string, readonly width: number, readonly height: number) {}

  /** Jupyter shows the figure inline when it is a cell's last expression. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return { "image/svg+xml": this.svg };
  }
}

const PAD = 16;
const TITLE_SIZE = 16;
const SUBTITLE_SIZE = 12;
const HEADING_SIZE = 13;
const NOTE_SIZE = 10.5;

/** XML-escape text for an SVG text node or attribute. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function sizeOf(svg: string): { w: number; h: number } {
  const open = svg.slice(0, svg.indexOf(">"));
  const w = Number(/\swidth="([\d.]+)"/.exec(open)?.[1]);
  const h = Number(/\sheight="([\d.]+)"/.exec(open)?.[1]);
  if (!open.startsWith("<svg") || !(w > 0) || !(h > 0)) {
    throw new LabError(
      "a figure panel is not an <svg> with width and height",
      "render panels with renderPlot",
    );
  }
  return { w, h };
}

/** Greedy word wrap to about `chars` characters a line. */
export function wrapText(text: string, chars: number): string[] {
  const lines: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > chars) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

function text(x: number, y: number, size: number, body: string, extra = ""): string {
  return `<text x="${x}" y="${y}" font-size="${size}" ${extra}>${escapeXml(body)}</text>`;
}

function legendRow(entries: LegendEntry[], y: number, maxWidth: number): { svg: string; height: number } {
  const parts: string[] = [];
  let x = PAD, row = 0;
  for (const e of entries) {
    const w = 28 + e.label.length * 6.6 + 18;
    if (x + w > maxWidth - PAD && x > PAD) {
      x = PAD;
      row++;
    }
    const cy = y + row * 18;
    const dash = e.dashed ? ` stroke-dasharray="${REFERENCE_DASH}"` : "";
    parts.push(
      `<line x1="${x}" x2="${x + 22}" y1="${cy - 4}" y2="${
        cy - 4
      }" stroke="${e.color}" stroke-width="2.5"${dash}/>`,
      text(x + 28, cy, 12, e.label),
    );
    x += w;
  }
  return { svg: parts.join(""), height: entries.length ? (row + 1) * 18 + 6 : 0 };
}

/** Lay out title, legend, panels and note into one SVG figure. */
export function composeFigure(spec: FigureSpec): Figure {
  if (!spec.panels.length) {
    throw new LabError(`figure '${spec.title}' has no panels`, "pass at least one panel");
  }
  const cols = Math.max(1, spec.columns ?? Math.min(2, spec.panels.length));
  const sizes = spec.panels.map((p) => sizeOf(p.svg));
  const colW = Math.max(...sizes.map((s) => s.w));
  const hasHeadings = spec.panels.some((p) => p.title);
  const rows: number[] = [];
  sizes.forEach((s, i) => {
    const r = Math.floor(i / cols);
    rows[r] = Math.max(rows[r] ?? 0, s.h + (hasHeadings ? HEADING_SIZE + 10 : 0));
  });
  const width = PAD * 2 + cols * colW + (cols - 1) * PAD;
  const out: string[] = [];
  let y = PAD + TITLE_SIZE;
  out.push(text(PAD, y, TITLE_SIZE, spec.title, `font-weight="bold"`));
  if (spec.subtitle) {
    for (const line of wrapText(spec.subtitle, Math.floor((width - 2 * PAD) / 6.4))) {
      y += SUBTITLE_SIZE + 6;
      out.push(text(PAD, y, SUBTITLE_SIZE, line, `fill="#444444"`));
    }
  }
  y += 10;
  if (spec.legend?.length) {
    const leg = legendRow(spec.legend, y + 14, width);
    out.push(leg.svg);
    y += leg.height;
  }
  y += 6;
  spec.panels.forEach((p, i) => {
    const col = i % cols, r = Math.floor(i / cols);
    const x = PAD + col * (colW + PAD);
    const top = y + rows.slice(0, r).reduce((a, b) => a + b + PAD, 0);
    let py = top;
    if (hasHeadings) {
      if (p.title) out.push(text(x, top + HEADING_SIZE, HEADING_SIZE, p.title, `font-weight="bold"`));
      py += HEADING_SIZE + 10;
    }
    out.push(p.svg.replace(/^<svg/, `<svg x="${x}" y="${py}"`));
  });
  y += rows.reduce((a, b) => a + b, 0) + (rows.length - 1) * PAD;
  if (spec.note) {
    for (const line of wrapText(spec.note, Math.floor((width - 2 * PAD) / 5.6))) {
      y += NOTE_SIZE + 5;
      out.push(text(PAD, y, NOTE_SIZE, line, `fill="#555555"`));
    }
  }
  const height = Math.ceil(y + PAD);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}" fill="#222222">` +
    `<rect width="100%" height="100%" fill="white"/>${out.join("")}</svg>`;
  return new Figure(svg, width, height);
}
