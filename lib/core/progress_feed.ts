/**
 * The progress feed: how a notebook kernel (and the headless runner's Jupyter
 * client) tell the terminal that started `deno task notebooks` what is
 * running. The runner names a file in $HARNESSLAB_PROGRESS; writers append one
 * JSON event a line; the runner reads new lines as they come and renders them
 * (lib/cli/notebooks/run_progress.ts). Writers:
 *  - the Jupyter client (barrier_client.py): `start` per execution, `cell` as
 *    each code cell starts;
 *  - the kernel: `progress` per run of a sweep (relayed from the worker
 *    processes through the notebook's ProgressSink, at most 2 a second a run)
 *    and `run` when a run is logged as computed or read from the cache.
 * Without $HARNESSLAB_PROGRESS (an interactive Jupyter, a test) nothing is
 * written. Each event is one short `write` with O_APPEND, so lines from the
 * two processes do not interleave.
 *
 * Departs from a socket or pipe on purpose: a file needs no server, survives a
 * reader that polls late, and Python and Deno both append to it in one line.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { emitFeed, FeedReader } from "./progress_feed.ts";
 * const path = await Deno.makeTempFile();
 * const reader = new FeedReader(path);
 * emitFeed({ ev: "cell", cell: 3 }, path);
 * assertEquals(reader.read().map((e) => e.ev), ["cell"]);
 * await Deno.remove(path);
 * ```
 */
import type { ProgressSink } from "./progress.ts";

/** The environment variable naming the feed file. */
export const PROGRESS_ENV = "HARNESSLAB_PROGRESS";

/** One event of the feed; `t` is wall-clock seconds (Date.now() / 1000, Python's time.time()). */
export type FeedEvent =
  | { ev: "start"; t: number; cells: number }
  | { ev: "cell"; t: number; cell: number }
  | { ev: "progress"; t: number; run: string; step: number; total: number; metrics?: Record<string, number> }
  | { ev: "run"; t: number; run: string; kind: string; key: string; cached: boolean; seconds: number };

/** An event as a writer makes it (the time is added on writing). */
export type FeedEventInput = FeedEvent extends infer E ? E extends FeedEvent ? Omit<E, "t"> : never : never;

/** The feed file this process writes to, if any. */
export function feedPath(): string | undefined {
  try {
    return Deno.env.get(PROGRESS_ENV) || undefined;
  } catch {
    return undefined; // no env permission: no feed
  }
}

/**
 * Append one event to the feed (`path`, default $HARNESSLAB_PROGRESS; nothing
 * without one). Best effort: progress must never fail a run, so a write error
 * is dropped.
 */
export function emitFeed(event: FeedEventInput, path = feedPath()): void {
  if (!path) return;
  try {
    Deno.writeTextFileSync(path, JSON.stringify({ ...event, t: Date.now() / 1000 }) + "\n", { append: true });
  } catch {
    // a removed or unwritable feed only costs the terminal view
  }
}

/** A sink that sends a run's progress to the feed, at most once per `minIntervalS` (plus first and last step). */
export function feedSink(run: string, opts: { minIntervalS?: number; path?: string } = {}): ProgressSink {
  const path = opts.path ?? feedPath();
  const gap = opts.minIntervalS ?? 0.5;
  let last = -Infinity;
  return {
    update(step, total, metrics) {
      if (!path) return;
      const t = performance.now() / 1000;
      if (t - last < gap && step !== 1 && !(total > 0 && step >= total)) return;
      last = t;
      emitFeed({ ev: "progress", run, step, total, ...(metrics ? { metrics } : {}) }, path);
    },
    done() {},
  };
}

/** Both sinks get every call. */
export function teeSinks(a: ProgressSink, b: ProgressSink): ProgressSink {
  return {
    update(step, total, metrics) {
      a.update(step, total, metrics);
      b.update(step, total, metrics);
    },
    done(summary) {
      a.done(summary);
      b.done(summary);
    },
  };
}

/** Reads the events appended to a feed file since the last read (complete lines only). */
export class FeedReader {
  readonly #path: string;
  #offset = 0;
  #partial = "";
  readonly #decoder = new TextDecoder();

  constructor(path: string) {
    this.#path = path;
  }

  /** New events, in file order; a line that is not an event is skipped. */
  read(): FeedEvent[] {
    let bytes: Uint8Array;
    try {
      using f = Deno.openSync(this.#path, { read: true });
      const size = f.statSync().size;
      if (size <= this.#offset) return [];
      f.seekSync(this.#offset, Deno.SeekMode.Start);
      bytes = new Uint8Array(size - this.#offset);
      let got = 0;
      while (got < bytes.length) {
        const n = f.readSync(bytes.subarray(got));
        if (n === null) break;
        got += n;
      }
      bytes = bytes.subarray(0, got);
      this.#offset += got;
    } catch {
      return [];
    }
    const text = this.#partial + this.#decoder.decode(bytes, { stream: true });
    const lines = text.split("\n");
    this.#partial = lines.pop() ?? "";
    const out: FeedEvent[] = [];
    for (const line of lines) {
      try {
        const e = JSON.parse(line);
        if (e && typeof e.ev === "string" && typeof e.t === "number") out.push(e as FeedEvent);
      } catch {
        // not an event
      }
    }
    return out;
  }
}
