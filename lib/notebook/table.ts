/**
 * Tables in notebooks: an arquero table (or plain rows) shown as an HTML
 * table in Jupyter and as Markdown on a terminal, numbers rounded for reading.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { tableBundle } from "./table.ts";
 * const b = tableBundle([{ level: 1, accuracy: 0.98765 }], { digits: 2 });
 * assertEquals(b["text/plain"], "|level|accuracy|\n|-:|-:|\n|1|0.99|\n");
 * ```
 */
import * as aq from "arquero";
import { JUPYTER_DISPLAY } from "../core/display.ts";
import type { MimeBundle } from "./jupyter.ts";

type Table = ReturnType<typeof aq.from>;

export interface TableOptions {
  /** Decimals for non-integer numbers (default 3). */
  digits?: number;
  /** Rows shown (default 50). */
  limit?: number;
  /** Bold line above the table. */
  caption?: string;
}

function formatCell(digits: number) {
  return (v: unknown) => {
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(digits);
    return v == null ? "" : String(v);
  };
}

function asTable(t: Table | readonly Record<string, unknown>[]): Table {
  return Array.isArray(t) ? aq.from(t as Record<string, unknown>[]) : t as Table;
}

/** The HTML and Markdown renderings of a table. */
export function tableBundle(
  t: Table | readonly Record<string, unknown>[],
  opts: TableOptions = {},
): MimeBundle {
  const table = asTable(t);
  const fmt = formatCell(opts.digits ?? 3);
  const format = Object.fromEntries(table.columnNames().map((c: string) => [c, fmt]));
  const limit = opts.limit ?? 50;
  const more = table.numRows() > limit ? `\n\n(${table.numRows() - limit} more rows)` : "";
  const caption = opts.caption ? `**${opts.caption}**\n\n` : "";
  const html = table.toHTML({ limit, format });
  return {
    "text/html": (opts.caption ? `<p><b>${opts.caption}</b></p>` : "") + html +
      (more ? `<p>${more.trim()}</p>` : ""),
    "text/plain": caption + table.toMarkdown({ limit, format }) + more,
  };
}

/** A displayable table: `await show(table(rows, { caption }))`. */
export function table(t: Table | readonly Record<string, unknown>[], opts: TableOptions = {}) {
  const bundle = tableBundle(t, opts);
  return { [JUPYTER_DISPLAY]: () => bundle, toString: () => bundle["text/plain"] };
}
