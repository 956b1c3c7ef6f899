/**
 * Output to a Deno Jupyter notebook, with a terminal fallback: the same
 * experiment code runs in the kernel (`deno jupyter`), headless under
 * `jupyter nbconvert --execute`, and from a plain `deno run`.
 *
 * Display ids let a long run update one output in place (progress bar, live
 * plot) instead of appending a new output per step.
 *
 * Notebooks display results with `await show(x)`, never by leaving a value as
 * a cell's last expression: the kernel publishes an expression's value after
 * the cell has finished (see lib/cli/notebooks/execute.ts), and a Jupyter client may
 * have stopped listening by then. Each display made here is counted on
 * globalThis (DISPLAY_COUNTER), so the headless runner can check that every
 * display reached the notebook.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { inJupyter } from "./jupyter.ts";
 * assertEquals(inJupyter(), false); // outside the Deno kernel
 * ```
 */
import { type Displayable, JUPYTER_DISPLAY } from "../core/display.ts";

/** A Jupyter mime bundle: "text/plain", "text/html", "image/svg+xml", "text/markdown", ... */
export type MimeBundle = Record<string, string>;

/** True inside the Deno Jupyter kernel (Deno.jupyter throws elsewhere). */
export function inJupyter(): boolean {
  try {
    return typeof Deno.jupyter?.display === "function";
  } catch {
    return false;
  }
}

export interface ShowOptions {
  /** Output id; a later show with the same id and `update: true` replaces it in place. */
  displayId?: string;
  update?: boolean;
}

/** The globalThis key of the count of displays made by `show` in this kernel (read by the runner's barrier). */
export const DISPLAY_COUNTER = Symbol.for("harnesslab.displays");

function countDisplay(): void {
  const g = globalThis as unknown as Record<symbol, number>;
  g[DISPLAY_COUNTER] = (g[DISPLAY_COUNTER] ?? 0) + 1;
}

/** The mime bundle of a displayable object, or the bundle itself. */
export function bundleOf(x: Displayable | MimeBundle): MimeBundle {
  return JUPYTER_DISPLAY in x ? (x as Displayable)[JUPYTER_DISPLAY]() : x as MimeBundle;
}

/**
 * Show a displayable (figure, table, run log, Markdown) or a mime bundle: in
 * Jupyter as a rich output (in place when updating a display id), elsewhere its
 * "text/plain" part on stdout. Await it: the display is then on its way before
 * the cell ends.
 */
export async function show(x: Displayable | MimeBundle, opts: ShowOptions = {}): Promise<void> {
  const bundle = bundleOf(x);
  if (inJupyter()) {
    await Deno.jupyter.display(bundle, {
      raw: true,
      ...(opts.displayId ? { display_id: opts.displayId, update: opts.update ?? false } : {}),
    });
    if (!opts.update) countDisplay();
  } else if (!opts.update && bundle["text/plain"] !== undefined) {
    console.log(bundle["text/plain"]);
  }
}

/** Markdown text as a displayable object: `await show(markdown(text))`. */
export function markdown(text: string): { [JUPYTER_DISPLAY]: () => MimeBundle } {
  return { [JUPYTER_DISPLAY]: () => ({ "text/markdown": text, "text/plain": text }) };
}

let nextId = 0;

/** A display id unique within this kernel session. */
export function newDisplayId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${nextId++}`;
}
