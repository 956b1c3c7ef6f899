/**
 * Format retention (DESIGN.md: bare-only fine-tuning can make a model forget
 * the harness formats, so "reattachment hurts" may just mean "forgot the
 * format"): for any model, the exact-match rate of its greedy completions on
 * gold examples of each harness format (lib/harness/formats.ts), beside
 * accuracy. For arithmetic: can it still write a plan (`plan`), and read a
 * teacher context (`trace`, `answer_like`, `answer`, `partial`, `solution`);
 * for precedent: can it still use precedents (`draft`, `verify`,
 * `answer_like`, `trace`, `answer`), probed on worlds no training run drew
 * from (`pool_first` far past the training pool), so only reading the
 * context can answer them. Following a plan is the segment calls, i.e. the
 * bare format on short chains, which bare accuracy already measures.
 *
 * Same seed, same probes: every model is measured on the same examples.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { RETENTION_POOL_FIRST } from "./retention.ts";
 * assertEquals(RETENTION_POOL_FIRST, 10_000);
 * ```
 */
import { Rng } from "../core/rng.ts";
import type { Task } from "../tasks/task.ts";
import { wilson } from "../stats/intervals.ts";
import { type HarnessModel, runCalls } from "./calls.ts";
import { type FormatOptions, FORMATS, FormatSampler } from "./formats.ts";

/** First pool world of the retention probes (training pools start at 0). */
export const RETENTION_POOL_FIRST = 10_000;

export interface RetentionRow {
  format: string;
  n: number;
  /** Share of probes completed exactly as the gold target. */
  exact: number;
  lo: number;
  hi: number;
}

/** Exact match on `n` gold probes of every non-bare format of the task, levels cycling through `levels`. */
export function formatRetention(
  model: HarnessModel,
  task: Task,
  options: FormatOptions,
  opts: { n: number; levels: readonly number[]; seed?: number; formats?: readonly string[] },
): RetentionRow[] {
  const sampler = new FormatSampler(task, { ...options, pool_first: RETENTION_POOL_FIRST });
  const formats = opts.formats ?? FORMATS[task.family].filter((f) => f !== "bare");
  const root = new Rng(opts.seed ?? 0).fork("retention");
  return formats.map((format) => {
    const rng = root.fork(format);
    const probes = Array.from(
      { length: opts.n },
      (_, i) => sampler.sample(format, rng, opts.levels[i % opts.levels.length]),
    );
    const calls = runCalls(
      model,
      format,
      probes.map((p) => p.prompt),
      Math.max(...probes.map((p) => p.target.length)) + 2,
    );
    const k = calls.filter((c, i) => c.completion === probes[i].target).length;
    const [lo, hi] = wilson(k, opts.n);
    return { format, n: opts.n, exact: k / opts.n, lo, hi };
  });
}
