/**
 * Which runs a notebook cell used, and whether each came from the run cache
 * or was computed now: the visible side of reactive re-execution. Change one
 * knob, re-run the cell, and the log shows that only the runs the knob touches
 * were computed.
 *
 * The log's display also carries a machine-readable list of its runs
 * (notebook_runs.ts), which `runs export` reads from the executed notebook,
 * and says once any notices captured while it ran (which backend was skipped
 * and why), instead of leaving them as stderr inside a cell. Each run added is
 * also sent to the progress feed, so `deno task notebooks` can count computed
 * and cached runs per notebook.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { RunLog } from "./run_log.ts";
 * const log = new RunLog();
 * log.add({ label: "seed 0", kind: "sft", key: "abc", cached: true, seconds: 0 });
 * assertEquals(log.summary(), "1 run: 1 cached, 0 computed");
 * ```
 */
import { JUPYTER_DISPLAY } from "../core/display.ts";
import { formatDuration } from "../core/progress.ts";
import { captureNotices } from "../core/notices.ts";
import { emitFeed, feedSink, teeSinks } from "../core/progress_feed.ts";
import { escapeXml } from "../plot/figure.ts";
import { tableBundle } from "./table.ts";
import type { LiveTraining } from "./live_training.ts";
import { inJupyter } from "./jupyter.ts";
import { RUNS_MIME, type UsedRun } from "./notebook_runs.ts";

export interface RunRecord {
  label: string;
  kind: string;
  key: string;
  cached: boolean;
  /** Wall seconds this cell spent on the run (near 0 when cached). */
  seconds: number;
}

export class RunLog {
  readonly records: RunRecord[] = [];
  /** Notices captured while the runs ran (see captureNotices). */
  readonly notices: string[] = [];
  #noticesShown = 0;

  add(r: RunRecord): void {
    this.records.push(r);
    emitFeed({ ev: "run", run: r.label, kind: r.kind, key: r.key, cached: r.cached, seconds: r.seconds });
  }

  /**
   * Keep the library's notices (backend selection) for this log's next display
   * instead of printing them on stderr; returns the function that stops it.
   */
  captureNotices(): () => void {
    return captureNotices((line) => this.notices.push(line));
  }

  /** "3 runs: 2 cached, 1 computed". */
  summary(): string {
    const n = this.records.length, c = this.records.filter((r) => r.cached).length;
    return `${n} run${n === 1 ? "" : "s"}: ${c} cached, ${n - c} computed`;
  }

  /**
   * Jupyter: a table of the runs under the summary line, the notices not yet
   * shown, and the runs as JSON for `runs export` (RUNS_MIME).
   */
  [JUPYTER_DISPLAY](): Record<string, string> {
    const rows = this.records.map((r) => ({
      run: r.label,
      kind: r.kind,
      key: r.key,
      source: r.cached ? "cache" : "computed",
      seconds: Math.round(r.seconds * 10) / 10,
    }));
    const bundle = tableBundle(rows, { caption: this.summary(), digits: 1 });
    const notices = this.notices.slice(this.#noticesShown);
    this.#noticesShown = this.notices.length; // said once
    if (notices.length) {
      bundle["text/html"] += `<p style="color:#666;font-size:90%">${notices.map(escapeXml).join("<br>")}</p>`;
      bundle["text/plain"] += `\n${notices.join("\n")}`;
    }
    const used: UsedRun[] = this.records.map((r) => ({
      kind: r.kind,
      key: r.key,
      label: r.label,
      cached: r.cached,
    }));
    return { ...bundle, [RUNS_MIME]: JSON.stringify(used) };
  }
}

/**
 * Hooks that wire a sweep into a notebook: each run reports progress to the
 * live view (and to the progress feed, for the terminal that runs the
 * notebook headless), and each finished run is logged as cached or computed (a
 * cached run also gets its row in the live view). In Jupyter, the library's
 * notices are captured by the log from here on.
 */
export function notebookRunHooks(live: LiveTraining, log: RunLog, kind: string) {
  if (inJupyter()) log.captureNotices();
  return {
    progress: (label: string) => teeSinks(live.sink(label), feedSink(label)),
    onRun: (
      label: string,
      run: { key: string; cached: boolean; result?: { metrics?: Record<string, number | string>[] } },
      seconds: number,
    ) => {
      log.add({ label, kind, key: run.key, cached: run.cached, seconds });
      live.finish(
        label,
        run.cached ? `from the cache (${run.key})` : `computed in ${formatDuration(seconds)} (${run.key})`,
        run.result?.metrics,
      );
    },
  };
}
