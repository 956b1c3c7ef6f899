/**
 * The quickstart experiment behind notebooks/00_quickstart.ipynb: SFT of a
 * small transformer on chained modular arithmetic (`+ -`, answers uniform, so
 * chance is exactly 0.1 at every level), several seeds, then greedy exact match
 * per difficulty level on the frozen eval set, inside and beyond the trained
 * range. Every run goes through the run cache, so re-executing the notebook
 * after changing one knob recomputes only the runs whose config changed (e.g.
 * adding a seed computes that seed alone).
 *
 * Tables are arquero tables; the findings text is generated from them.
 *
 * @example
 * ```ts
 * import { quickstartParams, sftConfigFor } from "./quickstart.ts";
 * const p = quickstartParams("smoke");
 * sftConfigFor(p, p.seeds[0]).steps === p.steps; // true
 * ```
 */
import * as aq from "arquero";
import { z } from "zod";
import { parseConfig } from "../core/config.ts";
import type { ProgressSink } from "../core/progress.ts";
import type { CachedRun } from "../core/run_cache.ts";
import { ArithmeticSettingsSchema, chanceLevel } from "../tasks/arithmetic.ts";
import type { SftResult } from "../train/sft.ts";
import { runSweep } from "../train/sweep.ts";
import type { Scale } from "../notebook/scale.ts";
import { compareToReference, meanInterval } from "../stats/intervals.ts";

export const QuickstartParamsSchema = z.strictObject({
  seeds: z.array(z.number().int().min(0)).min(1),
  steps: z.number().int().min(2),
  batch_size: z.number().int().min(1),
  lr: z.number().positive(),
  n_layer: z.number().int().min(1),
  n_head: z.number().int().min(1),
  n_embd: z.number().int().min(8),
  train_levels: z.array(z.number().int().min(1).max(16)).min(1),
  eval_levels: z.array(z.number().int().min(1).max(16)).min(1),
  eval_per_level: z.number().int().min(1).max(200),
  ops: z.array(z.enum(["+", "-", "*"])).min(1),
});
export type QuickstartParams = z.output<typeof QuickstartParamsSchema>;

const DEFAULT: QuickstartParams = {
  seeds: [0, 1, 2],
  steps: 1500,
  batch_size: 64,
  lr: 3e-3,
  n_layer: 2,
  n_head: 4,
  n_embd: 64,
  train_levels: [1, 2, 3, 4],
  eval_levels: [1, 2, 3, 4, 5, 6, 7, 8],
  eval_per_level: 100,
  ops: ["+", "-"],
};

/** Each scale as a short diff over the default. */
const BY_SCALE: Record<Scale, QuickstartParams> = {
  smoke: {
    ...DEFAULT,
    seeds: [0, 1],
    steps: 40,
    batch_size: 32,
    n_layer: 1,
    n_head: 2,
    n_embd: 32,
    train_levels: [1, 2],
    eval_levels: [1, 2, 3],
    eval_per_level: 20,
  },
  default: DEFAULT,
  full: { ...DEFAULT, seeds: [0, 1, 2, 3, 4], steps: 3000, eval_per_level: 200 },
};

/** The quickstart's knobs at `scale` (a fresh copy: edit it in the notebook). */
export function quickstartParams(scale: Scale): QuickstartParams {
  return structuredClone(BY_SCALE[scale]);
}

/** The SFT config of one seed. Levels longer than the context are a config error from runSft. */
export function sftConfigFor(params: QuickstartParams, seed: number): Record<string, unknown> {
  const p = parseConfig(QuickstartParamsSchema, params, "quickstart params");
  const maxLevel = Math.max(...p.train_levels, ...p.eval_levels);
  return {
    seed,
    model: {
      n_layer: p.n_layer,
      n_head: p.n_head,
      n_embd: p.n_embd,
      block_size: 8 * maxLevel + 8, // a level-L example is 8L + 5 tokens
      position: "learned",
    },
    task: { family: "arithmetic", ops: p.ops },
    train_levels: p.train_levels,
    steps: p.steps,
    batch_size: p.batch_size,
    lr: p.lr,
    warmup_steps: Math.min(100, Math.floor(p.steps / 10)),
    eval_set: p.ops.includes("*") ? "arith_eval" : "arith_pm_eval",
    eval_levels: p.eval_levels,
    eval_per_level: p.eval_per_level,
    eval_every: Math.max(1, Math.floor(p.steps / 6)),
    checkpoint_every: Math.max(1, Math.floor(p.steps / 6)),
  };
}

export interface QuickstartRun {
  seed: number;
  run: CachedRun<SftResult>;
}

export interface QuickstartHooks {
  /** A progress sink per seed (e.g. LiveTraining.sink). */
  progress?: (label: string) => ProgressSink;
  /** Called after each run with its label and whether the cache answered. */
  onRun?: (label: string, run: CachedRun<SftResult>, seconds: number) => void;
  /** Run cache root (default runs/). */
  root?: string;
}

/**
 * Train (or fetch from the cache) one SFT run per seed, in parallel worker
 * processes (one per core; `workers: 1` trains in this process).
 */
export async function runQuickstart(
  params: QuickstartParams,
  hooks: QuickstartHooks & { workers?: number } = {},
): Promise<QuickstartRun[]> {
  const runs = await runSweep<SftResult>(
    "sft",
    params.seeds.map((seed) => ({ label: `seed ${seed}`, config: sftConfigFor(params, seed) })),
    { workers: hooks.workers, progress: hooks.progress, onRun: hooks.onRun, root: hooks.root },
  );
  return runs.map((run, i) => ({ seed: params.seeds[i], run }));
}

/** Per-step training loss of every seed: columns seed, step, loss. */
export function lossTable(runs: readonly QuickstartRun[]) {
  const rows = runs.flatMap(({ seed, run }) =>
    run.result.metrics.filter((m) => typeof m.loss === "number").map((m) => ({
      seed,
      step: m.step,
      loss: m.loss as number,
    }))
  );
  return aq.from(rows);
}

/** Final exact match per seed and level (Wilson interval over problems): seed, level, n, correct, accuracy, lo, hi. */
export function levelTable(runs: readonly QuickstartRun[]) {
  return aq.from(runs.flatMap(({ seed, run }) => run.result.final.map((s) => ({ seed, ...s }))));
}

/**
 * Across seeds, per level: mean exact match with a t interval over seeds,
 * exact chance, whether the level was trained on, and where the interval lies
 * against chance.
 */
export function levelSummary(runs: readonly QuickstartRun[], params: QuickstartParams) {
  const per = levelTable(runs).objects() as { seed: number; level: number; accuracy: number }[];
  const levels = [...new Set(per.map((r) => r.level))].sort((a, b) => a - b);
  return aq.from(levels.map((level) => {
    const m = meanInterval(per.filter((r) => r.level === level).map((r) => r.accuracy));
    const chance = chanceLevel(level, ArithmeticSettingsSchema.parse({ ops: params.ops })).constantGuess;
    return {
      level,
      trained: params.train_levels.includes(level),
      seeds: m.n,
      mean: m.mean,
      lo: m.lo,
      hi: m.hi,
      chance,
      vs_chance: compareToReference(m.lo, m.hi, chance),
    };
  }));
}

/** Greedy completions of the first seed's final model: level, prompt, completion, correct. */
export function sampleTable(runs: readonly QuickstartRun[]) {
  const first = runs[0]?.run.result.samples ?? [];
  return aq.from(
    first.map((s) => ({ level: s.level, prompt: s.prompt, completion: s.completion, correct: s.correct })),
  );
}

const pct = (x: number) => Number.isFinite(x) ? x.toFixed(2) : "n/a";
const interval = (lo: number, hi: number) =>
  Number.isFinite(lo) ? `[${pct(lo)}, ${pct(hi)}]` : "(one seed: no interval)";

interface SummaryRow {
  level: number;
  trained: boolean;
  seeds: number;
  mean: number;
  lo: number;
  hi: number;
  chance: number;
  vs_chance: string;
}

/** Findings in Markdown, every number taken from `summary` (levelSummary's table). */
export function quickstartFindings(summary: ReturnType<typeof levelSummary>): string {
  const all = summary.objects() as SummaryRow[];
  const lines: string[] = [];
  const seeds = all[0]?.seeds ?? 0;
  const describe = (group: SummaryRow[], name: string) => {
    if (!group.length) return;
    const m = meanInterval(group.map((r) => r.mean));
    lines.push(
      `- **${name}** (levels ${group.map((r) => r.level).join(", ")}): mean exact match ${pct(m.mean)}; ` +
        group.map((r) =>
          `L${r.level} ${pct(r.mean)} ${interval(r.lo, r.hi)} vs chance ${pct(r.chance)} (${r.vs_chance})`
        )
          .join("; ") +
        ".",
    );
  };
  describe(all.filter((r) => r.trained), "Trained levels");
  describe(all.filter((r) => !r.trained), "Beyond the trained range");
  const beyond = all.filter((r) => !r.trained);
  const trained = all.filter((r) => r.trained);
  const learned = trained.filter((r) => r.vs_chance === "above").length;
  const generalised = beyond.filter((r) => r.vs_chance === "above").length;
  const seedsText = `95% t interval over ${seeds} seed${seeds === 1 ? "" : "s"} excludes chance`;
  let verdict: string;
  if (learned === 0) {
    verdict = "The model did not learn the trained levels (expected at smoke scale or with too few steps), " +
      "so nothing can be said about length generalisation.";
  } else if (!beyond.length) {
    verdict = "No level beyond the trained range was evaluated.";
  } else if (generalised === 0) {
    verdict = "No longer level is above chance: with learned absolute positions the model does not " +
      "extrapolate past the trained length, as DESIGN.md expects of this position scheme.";
  } else {
    const best = beyond.reduce((a, r) => (r.mean > a.mean ? r : a));
    const above = beyond.filter((r) => r.vs_chance === "above").map((r) => `L${r.level}`).join(", ");
    verdict = best.mean < 2 * best.chance
      ? `${generalised} of ${beyond.length} longer levels (${above}) are above chance, but none reaches twice ` +
        `chance (best L${best.level} ${pct(best.mean)} vs ${pct(best.chance)}): at most a trace of length ` +
        `generalisation. With ${beyond.length} intervals at 95%, at least one excludes chance by luck alone ` +
        `${pct(1 - 0.95 ** beyond.length)} of the time.`
      : `${generalised} of ${beyond.length} longer levels (${above}) are above chance, the best ` +
        `L${best.level} at ${pct(best.mean)}: some length generalisation.`;
  }
  lines.push(`- ${learned} of ${trained.length} trained levels are above chance (${seedsText}). ${verdict}`);
  return lines.join("\n");
}
