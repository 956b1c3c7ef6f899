/**
 * Where the lab's folders are, independent of the working directory: the CLI
 * runs from the repository root, a notebook kernel from notebooks/, and both
 * must share one run cache and one figures/ folder.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { PROJECT_ROOT } from "./paths.ts";
 * assertEquals(PROJECT_ROOT.endsWith("/"), true);
 * assertEquals(Deno.statSync(`${PROJECT_ROOT}deno.json`).isFile, true);
 * ```
 */

/** The repository root (the folder holding deno.json), with a trailing slash. */
export const PROJECT_ROOT: string = new URL("../../", import.meta.url).pathname;

/** The run cache root: $HARNESSLAB_RUNS, else runs/ at the repository root. */
export function defaultRunsDir(): string {
  return Deno.env.get("HARNESSLAB_RUNS") || `${PROJECT_ROOT}runs`;
}

/** Where figures are saved: $HARNESSLAB_FIGURES, else figures/ at the repository root. */
export function defaultFiguresDir(): string {
  return Deno.env.get("HARNESSLAB_FIGURES") || `${PROJECT_ROOT}figures`;
}
