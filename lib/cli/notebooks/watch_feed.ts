/**
 * Watch one notebook execution: make a fresh progress feed file for it (the
 * runner passes its path on as HARNESSLAB_PROGRESS), read the events the
 * Jupyter client and the kernel append (lib/core/progress_feed.ts) as they
 * come, and hand them to the terminal view (run_progress.ts) until the
 * execution settles; then the feed file is removed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { RunProgressView } from "./run_progress.ts";
 * import { withProgressFeed } from "./watch_feed.ts";
 * const view = new RunProgressView({ tty: false, write: () => {} });
 * assertEquals(await withProgressFeed(view, "/nonexistent/x.ipynb", async (feed) => feed.endsWith(".jsonl")), true);
 * ```
 */
import { FeedReader } from "../../core/progress_feed.ts";
import type { RunProgressView } from "./run_progress.ts";

/** The cells' sources of the notebook at `path` ([] when unreadable: the runner reports that). */
async function cellSources(path: string): Promise<string[]> {
  try {
    const nb = JSON.parse(await Deno.readTextFile(path)) as { cells?: { source?: string | string[] }[] };
    return (nb.cells ?? []).map((c) => [c.source ?? ""].flat().join(""));
  } catch {
    return [];
  }
}

/**
 * Run `execute` with a fresh feed file (its path is passed in, for
 * $HARNESSLAB_PROGRESS) and render the feed with `view` until it settles.
 */
export async function withProgressFeed<T>(
  view: RunProgressView,
  notebookPath: string,
  execute: (feed: string) => Promise<T>,
): Promise<T> {
  const name = notebookPath.slice(notebookPath.lastIndexOf("/") + 1);
  view.begin(name, await cellSources(notebookPath));
  const feed = await Deno.makeTempFile({ prefix: "harnesslab-progress-", suffix: ".jsonl" });
  const reader = new FeedReader(feed);
  const pump = () => {
    for (const e of reader.read()) view.event(e);
    view.tick();
  };
  const timer = setInterval(pump, view.tty ? 100 : 1000);
  try {
    return await execute(feed);
  } finally {
    clearInterval(timer);
    pump();
    view.finish();
    await Deno.remove(feed).catch(() => {});
  }
}
