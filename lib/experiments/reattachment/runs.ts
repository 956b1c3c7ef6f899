/**
 * The runs of notebook 02's first sections, through the run cache: one base
 * model per family and seed (SFT on its mix of formats, trained in parallel
 * worker processes), then each base model evaluated in every mode of its
 * harness on the frozen eval set (a "harness_eval" run, keyed by the base
 * run's key, the harness config and the evaluation knobs, so re-executing the
 * notebook recomputes only what a changed knob touches).
 *
 * An evaluation keeps, per mode, every problem's outcome (for the tables and
 * the gate's paired comparison) and the full traces of a few problems from
 * the hardest levels: ones the harness got right and bare wrong, and the
 * reverse, so the notebook can show what the harness does.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { HARNESS_EVAL_VERSION } from "./runs.ts";
 * assertEquals(HARNESS_EVAL_VERSION, "harness-eval-2");
 * ```
 */
import type { CachedRun } from "../../core/run_cache.ts";
import { cachedRun } from "../../core/run_cache.ts";
import { selectBackend } from "../../core/backend.ts";
import { loadModelDir } from "../../model/checkpoint.ts";
import { Gpt } from "../../model/gpt.ts";
import { loadEvalSet } from "../../tasks/eval_sets.ts";
import { makeTask } from "../../tasks/task.ts";
import { makeHarness } from "../../harness/config.ts";
import { evaluateMode, type Mode, modesFor } from "../../harness/evaluate.ts";
import { MemoryBank } from "../../harness/memory_bank.ts";
import type { HarnessResult } from "../../harness/types.ts";
import type { SftResult } from "../../train/sft.ts";
import { runSweep, type SweepOptions } from "../../train/sweep.ts";
import {
  baseConfigFor,
  baseSftConfig,
  FAMILIES,
  harnessConfig,
  type HarnessFamily,
  parseReattachmentParams,
  type ReattachmentParams,
} from "./params.ts";

/** Bump when evaluation code changes its results for the same config. */
export const HARNESS_EVAL_VERSION = "harness-eval-2"; // 2: outcomes keep the draft

export interface BaseRun {
  family: HarnessFamily;
  seed: number;
  run: CachedRun<SftResult>;
  /**
   * Draft-verify: evaluate the warm mode with this bank file instead of the run's own (a trained model read
   * with its start model's bank); `key` (the bank's run) joins the evaluation's cache key.
   */
  warmBank?: { path: string; key: string };
}

/** One problem's outcome in one mode. */
export interface Outcome {
  id: string;
  level: number;
  truth: string;
  predicted: string | null;
  correct: boolean;
  /** Draft-verify: the label the verify call checked (the draft), so a revision can be judged. */
  draft?: string | null;
}

export interface HarnessEvaluation {
  family: HarnessFamily;
  seed: number;
  modes: Mode[];
  outcomes: Record<string, Outcome[]>;
  /** Full traces of a few problems per harness mode. */
  traces: Record<string, HarnessResult[]>;
  /** Warm bank size (draft-verify). */
  bankSize?: number;
  seconds: number;
}

/** Label of a base run in progress views and logs. */
export const baseLabel = (family: HarnessFamily, seed: number) => `${family} base s${seed}`;

/** Every family x seed base model through the cache, in parallel workers. */
export async function runBaseModels(
  params: ReattachmentParams,
  hooks: SweepOptions<SftResult> = {},
): Promise<BaseRun[]> {
  const p = parseReattachmentParams(params);
  const plan = FAMILIES.flatMap((family) => p.seeds.map((seed) => ({ family, seed })));
  const runs = await runSweep<SftResult>(
    "sft",
    plan.map(({ family, seed }) => ({
      label: baseLabel(family, seed),
      config: baseConfigFor(p, family, seed),
    })),
    hooks,
  );
  return runs.map((run, i) => ({ ...plan[i], run }));
}

/** Evaluate every base model in every mode of its harness (cached per base model). */
export async function runGateEvaluations(
  params: ReattachmentParams,
  bases: readonly BaseRun[],
  opts: {
    root?: string;
    onRun?: (label: string, run: CachedRun<HarnessEvaluation>, seconds: number) => void;
  } = {},
): Promise<HarnessEvaluation[]> {
  const p = parseReattachmentParams(params);
  const out: HarnessEvaluation[] = [];
  for (const base of bases) {
    const config = {
      base_key: base.run.key,
      harness: harnessConfig(p, base.family),
      eval_per_level: p[base.family].eval_per_level,
      fresh_batch: p.fresh_batch,
      traces: p.traces,
      ...(base.warmBank ? { warm_bank: base.warmBank.key } : {}),
    };
    const t0 = performance.now();
    const run = await cachedRun<HarnessEvaluation>(
      { kind: "harness_eval", version: HARNESS_EVAL_VERSION, config, root: opts.root },
      () => evaluateBase(p, base),
    );
    opts.onRun?.(`${baseLabel(base.family, base.seed)} eval`, run, (performance.now() - t0) / 1000);
    out.push(run.result);
  }
  return out;
}

async function evaluateBase(p: ReattachmentParams, base: BaseRun): Promise<HarnessEvaluation> {
  const t0 = performance.now();
  const sft = baseSftConfig(p, base.family);
  const set = await loadEvalSet(sft.eval_set);
  const task = makeTask(set.settings);
  const levels = new Set(sft.eval_levels ?? set.examples.map((e) => e.level));
  const count = new Map<number, number>();
  const problems = set.examples.filter((e) => {
    if (!levels.has(e.level)) return false;
    const c = count.get(e.level) ?? 0;
    count.set(e.level, c + 1);
    return c < p[base.family].eval_per_level;
  });
  await selectBackend({ quiet: true });
  const { config, stateDict } = await loadModelDir(`${base.run.dir}/${base.run.result.modelDir}`);
  const model = Gpt.fromStateDict(config, stateDict);
  const harness = makeHarness(harnessConfig(p, base.family));
  const bankPath = base.warmBank?.path ??
    (base.run.result.bankFile ? `${base.run.dir}/${base.run.result.bankFile}` : undefined);
  const warmBank = bankPath ? await MemoryBank.load(bankPath) : undefined;
  try {
    const modes = modesFor(harness.name);
    const results: Record<string, HarnessResult[]> = {};
    for (const mode of modes) {
      results[mode] = evaluateMode(model, task, harness, problems, mode, {
        warmBank,
        seed: base.seed,
        batchSize: mode === "fresh" ? p.fresh_batch : 128,
      });
    }
    const outcomes = Object.fromEntries(modes.map((m) => [m, results[m].map(outcomeOf)]));
    const traces = Object.fromEntries(
      modes.filter((m) => m !== "bare").map((m) => [m, exampleTraces(results.bare, results[m], p.traces)]),
    );
    return {
      family: base.family,
      seed: base.seed,
      modes,
      outcomes,
      traces,
      ...(warmBank ? { bankSize: warmBank.size } : {}),
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    model.dispose();
  }
}

function outcomeOf(r: HarnessResult): Outcome {
  const o: Outcome = {
    id: r.problem.id ?? "",
    level: r.problem.level,
    truth: r.problem.answer,
    predicted: r.answer,
    correct: r.correct,
  };
  if ("revised" in r.facts) o.draft = r.teacher.answer_like[0]?.[0] ?? null; // draft-verify: [draft | final]
  return o;
}

/** From the hardest levels down: alternately a problem the harness got right and bare wrong, and the reverse. */
export function exampleTraces(bare: readonly HarnessResult[], harness: readonly HarnessResult[], n: number) {
  const order = harness.map((_, i) => i).sort((a, b) => harness[b].problem.level - harness[a].problem.level);
  const helped = order.filter((i) => harness[i].correct && !bare[i].correct);
  const hurt = order.filter((i) => !harness[i].correct && bare[i].correct);
  const picked: number[] = [];
  for (let j = 0; picked.length < n && (j < helped.length || j < hurt.length); j++) {
    for (const list of [helped, hurt]) if (j < list.length && picked.length < n) picked.push(list[j]);
  }
  return picked.map((i) => harness[i]);
}
