/**
 * Output to a Deno Jupyter notebook, with a terminal fallback: the same
 * experiment code runs in the kernel (`deno jupyter`), headless under
 * `jupyter nbconvert --execute`, and from a plain `deno run`.
 *
 * Display ids let a long run update one output in place (progress bar, live
 * plot) instead of appending a new output per step.
 *
 * @example
 * ```ts
 * import { inJupyter } from "./jupyter.ts";
 * inJupyter(); // false outside the Deno kernel
 * ```
 */
import { JUPYTER_DISPLAY } from "../core/display.ts";

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

/**
 * Show a mime bundle: in Jupyter as a rich output (in place when updating a
 * display id), elsewhere its "text/plain" part on stdout.
 */
export async function show(bundle: MimeBundle, opts: ShowOptions = {}): Promise<void> {
  if (inJupyter()) {
    await Deno.jupyter.display(bundle, {
      raw: true,
      ...(opts.displayId ? { display_id: opts.displayId, update: opts.update ?? false } : {}),
    });
  } else if (!opts.update && bundle["text/plain"] !== undefined) {
    console.log(bundle["text/plain"]);
  }
}

/** Markdown text as a displayable object (a cell's last expression renders it). */
export function markdown(text: string): { [JUPYTER_DISPLAY]: () => MimeBundle } {
  return { [JUPYTER_DISPLAY]: () => ({ "text/markdown": text, "text/plain": text }) };
}

/** Show Markdown now (in Jupyter rendered, elsewhere as plain text). */
export async function showMarkdown(text: string): Promise<void> {
  await show({ "text/markdown": text, "text/plain": text });
}

let nextId = 0;

/** A display id unique within this kernel session. */
export function newDisplayId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${nextId++}`;
}
