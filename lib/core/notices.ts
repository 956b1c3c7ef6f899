/**
 * One-line notices from the library (which backend was skipped and why, a
 * missing optional native library): by default each goes to stderr; a
 * notebook captures them so they are said once, in its run log, instead of
 * as stderr streams inside whichever cell happened to select the backend.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { captureNotices, sayNotice } from "./notices.ts";
 * const heard: string[] = [];
 * const restore = captureNotices((line) => heard.push(line));
 * sayNotice("backend: webgpu: WebGPU adapter is software");
 * restore();
 * assertEquals(heard, ["backend: webgpu: WebGPU adapter is software"]);
 * ```
 */

type Sink = (line: string) => void;

const stderrSink: Sink = (line) => console.error(line);
let sink: Sink = stderrSink;

/** Say one notice line (to stderr unless captured). */
export function sayNotice(line: string): void {
  sink(line);
}

/** Send every notice to `to` until the returned function restores the previous sink. */
export function captureNotices(to: Sink): () => void {
  const previous = sink;
  sink = to;
  return () => {
    sink = previous;
  };
}
