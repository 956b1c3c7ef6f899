/**
 * The key by which the Deno Jupyter kernel finds an object's rich display:
 * an object with a `[JUPYTER_DISPLAY]()` method returning a mime bundle is
 * rendered by that bundle when it is a cell's last expression.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { JUPYTER_DISPLAY } from "./display.ts";
 * assertEquals(JUPYTER_DISPLAY, Symbol.for("Jupyter.display"));
 * ```
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as typeof JUPYTER_DISPLAY;

/** Something Jupyter can show. */
export interface Displayable {
  [JUPYTER_DISPLAY](): Record<string, string>;
}
