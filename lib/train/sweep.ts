/**
 * A sweep of independent runs (seeds, conditions) of one trainer (SFT, GRPO),
 * executed in parallel worker processes, one single-threaded run per core,
 * each landing in the run cache. Runs already cached are read without starting
 * a worker; the parent relays each worker's progress to a ProgressSink, then
 * reads every result back through the cache, so results are identical to
 * running them one by one in-process (same code, same config, same seed).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { SWEEP_WORKER } from "./sweep.ts";
 * assertEquals(Deno.statSync(SWEEP_WORKER).isFile, true); // the worker module each process runs
 * ```
 */
import { type CachedRun, lookupRun } from "../core/run_cache.ts";
import type { ProgressSink } from "../core/progress.ts";
import { defaultConcurrency, runPool } from "../core/worker_pool.ts";
import { type TrainerName, TRAINERS } from "./registry.ts";

export const SWEEP_WORKER = new URL("./sweep_worker.ts", import.meta.url).pathname;

export interface SweepRun {
  label: string;
  /** A config of the sweep's trainer (validated before any worker starts). */
  config: unknown;
}

export interface SweepOptions<R> {
  /** Parallel workers (default one per core; 1 runs in this process). */
  workers?: number;
  progress?: (label: string) => ProgressSink;
  onRun?: (label: string, run: CachedRun<R>, seconds: number) => void;
  /** Run cache root (default runs/). */
  root?: string;
}

/** Run every config of `trainer` (cached ones are read), in parallel workers; results in input order. */
export async function runSweep<R>(
  trainer: TrainerName,
  runs: readonly SweepRun[],
  opts: SweepOptions<R> = {},
): Promise<CachedRun<R>[]> {
  const t = TRAINERS[trainer];
  runs.forEach((r) => t.parse(r.config, `sweep run '${r.label}'`));
  const t0 = performance.now();
  const out = new Array<CachedRun<R>>(runs.length);
  const todo: number[] = [];
  for (let i = 0; i < runs.length; i++) {
    const hit = await lookupRun<R>(await t.spec(runs[i].config, opts.root));
    if (hit) {
      out[i] = hit;
      opts.onRun?.(runs[i].label, hit, 0);
    } else todo.push(i);
  }
  const workers = opts.workers ?? defaultConcurrency(todo.length);
  if (workers <= 1) {
    for (const i of todo) {
      const s = performance.now();
      out[i] = await t.run(runs[i].config, {
        progress: opts.progress?.(runs[i].label),
        root: opts.root,
      }) as CachedRun<R>;
      opts.onRun?.(runs[i].label, out[i], (performance.now() - s) / 1000);
    }
    return out;
  }
  const sinks = new Map(todo.map((i) => [runs[i].label, opts.progress?.(runs[i].label)]));
  const started = new Map<string, number>();
  await runPool(
    todo.map((i) => ({
      label: runs[i].label,
      module: SWEEP_WORKER,
      input: { trainer, config: runs[i].config, root: opts.root },
    })),
    {
      concurrency: workers,
      onProgress: (label, p) => {
        if (!started.has(label)) started.set(label, performance.now());
        const { step, total, metrics } = p as {
          step: number;
          total: number;
          metrics?: Record<string, number>;
        };
        sinks.get(label)?.update(step, total, metrics);
      },
      onDone: async (label, done) => {
        sinks.get(label)?.done((done as { summary?: string })?.summary);
        const i = todo.find((j) => runs[j].label === label)!;
        // Read the run back through the cache: the same result object an in-process run returns.
        const run = await t.run(runs[i].config, { root: opts.root }) as CachedRun<R>;
        out[i] = { ...run, cached: false };
        opts.onRun?.(label, out[i], (performance.now() - (started.get(label) ?? t0)) / 1000);
      },
    },
  );
  return out;
}
