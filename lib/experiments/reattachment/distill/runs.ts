/**
 * The runs of notebook 02's distillation sections, through the run cache:
 * the start ("reader") models, one per seed (SFT sweep); every method x seed
 * (distillation and GRPO sweeps in parallel worker processes); then each
 * trained model evaluated ("distill_eval", keyed by the trained run's key and
 * the evaluation knobs): bare and plan-solve outcomes per problem on the
 * frozen eval set, format retention (lib/harness/retention.ts), and a few
 * traces where the harness turned bare's right answer wrong or the reverse.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { DISTILL_EVAL_VERSION } from "./runs.ts";
 * assertEquals(DISTILL_EVAL_VERSION, "distill-eval-2");
 * ```
 */
import { type CachedRun, cachedRun } from "../../../core/run_cache.ts";
import { selectBackend } from "../../../core/backend.ts";
import { loadModelDir } from "../../../model/checkpoint.ts";
import { Gpt } from "../../../model/gpt.ts";
import { loadEvalSet } from "../../../tasks/eval_sets.ts";
import { makeTask } from "../../../tasks/task.ts";
import { makeHarness } from "../../../harness/config.ts";
import { evaluateMode } from "../../../harness/evaluate.ts";
import { FormatOptionsSchema } from "../../../harness/formats.ts";
import { formatRetention, type RetentionRow } from "../../../harness/retention.ts";
import type { HarnessResult } from "../../../harness/types.ts";
import type { SftResult } from "../../../train/sft.ts";
import type { DistillResult } from "../../../train/distill/distill.ts";
import type { GrpoResult } from "../../../train/grpo/grpo.ts";
import { runSweep, type SweepOptions } from "../../../train/sweep.ts";
import type { MetricRecord } from "../../../train/loop.ts";
import { baseSftConfig, harnessConfig, parseReattachmentParams, type ReattachmentParams } from "../params.ts";
import { type BaseRun, exampleTraces, type Outcome } from "../runs.ts";
import { type DistillParams, type MethodSpec, readerConfigFor } from "./params.ts";

/** Bump when evaluation code changes its results for the same config. */
export const DISTILL_EVAL_VERSION = "distill-eval-2"; // 2: retention probed at the training levels

/** One method x seed: its trained run (none for "base") and where its model lives. */
export interface MethodRun {
  method: MethodSpec;
  seed: number;
  key: string;
  cached: boolean;
  modelDir: string;
  /** Training records (none for "base"). */
  metrics: MetricRecord[];
  /** Distillation runs: held-out outcomes before and after, on the training levels. */
  heldOutBefore?: { level: number; correct: boolean }[];
  heldOutAfter?: { level: number; correct: boolean }[];
}

export interface MethodEvaluation {
  method: string;
  seed: number;
  outcomes: { bare: Outcome[]; harness: Outcome[] };
  retention: RetentionRow[];
  /** Harness right where bare was wrong, and the reverse (hardest levels first). */
  traces: HarnessResult[];
  bareOnTraces: HarnessResult[];
}

export const readerLabel = (seed: number) => `reader s${seed}`;

/** The readers distillation trains from: those on which the gate passed (all when `require_gate` is off). */
export function gatedReaders(
  dp: DistillParams,
  readers: readonly BaseRun[],
  passedSeeds: readonly number[],
): BaseRun[] {
  return dp.require_gate ? readers.filter((r) => passedSeeds.includes(r.seed)) : [...readers];
}
export const methodLabel = (method: string, seed: number) => `${method} s${seed}`;

/** The start models (arithmetic base + teacher-context formats), one per seed, in parallel workers. */
export async function runReaderModels(
  params: ReattachmentParams,
  dp: DistillParams,
  hooks: SweepOptions<SftResult> = {},
): Promise<BaseRun[]> {
  const p = parseReattachmentParams(params);
  const runs = await runSweep<SftResult>(
    "sft",
    dp.seeds.map((seed) => ({ label: readerLabel(seed), config: readerConfigFor(p, dp, seed) })),
    hooks,
  );
  return runs.map((run, i) => ({ family: "arithmetic" as const, seed: dp.seeds[i], run }));
}

/** The trainer config of one method on one seed's start model. */
export function methodConfig(
  params: ReattachmentParams,
  dp: DistillParams,
  method: MethodSpec,
  seed: number,
): Record<string, unknown> {
  const start = readerConfigFor(params, dp, seed);
  if (method.trainer === "grpo") return { ...dp.grpo, ...method.config, seed, start };
  return { ...dp.common, ...method.config, seed, start };
}

/** Every method x start model (`readers`: the ones that passed the gate) through the cache, in `dp.methods` order. */
export async function runMethods(
  params: ReattachmentParams,
  dp: DistillParams,
  readers: readonly BaseRun[],
  hooks: SweepOptions<unknown> | ((trainer: "distill" | "grpo") => SweepOptions<unknown>) = {},
): Promise<MethodRun[]> {
  const p = parseReattachmentParams(params);
  return await runMethodPlan(dp.methods, readers, (method, seed) => methodConfig(p, dp, method, seed), hooks);
}

/**
 * Every method x start model through the cache (one distillation sweep, then one GRPO sweep, in parallel
 * workers), in `methods` order: both families' runner. `configOf` gives a trained method's trainer config;
 * `labelPrefix` prefixes the progress labels.
 */
export async function runMethodPlan(
  methods: readonly MethodSpec[],
  starts: readonly BaseRun[],
  configOf: (method: MethodSpec, seed: number) => Record<string, unknown>,
  hooks: SweepOptions<unknown> | ((trainer: "distill" | "grpo") => SweepOptions<unknown>) = {},
  labelPrefix = "",
): Promise<MethodRun[]> {
  const plan = methods.flatMap((method) => starts.map(({ seed }) => ({ method, seed })));
  const of = (trainer: "distill" | "grpo") => plan.filter((x) => x.method.trainer === trainer);
  const sweep = async <R>(trainer: "distill" | "grpo") =>
    await runSweep<R>(
      trainer,
      of(trainer).map(({ method, seed }) => ({
        label: labelPrefix + methodLabel(method.name, seed),
        config: configOf(method, seed),
      })),
      (typeof hooks === "function" ? hooks(trainer) : hooks) as SweepOptions<R>,
    );
  const distilled = await sweep<DistillResult>("distill");
  const grpo = await sweep<GrpoResult>("grpo");
  const found = new Map<string, CachedRun<DistillResult | GrpoResult>>();
  of("distill").forEach((x, i) => found.set(methodLabel(x.method.name, x.seed), distilled[i]));
  of("grpo").forEach((x, i) => found.set(methodLabel(x.method.name, x.seed), grpo[i]));
  return plan.map(({ method, seed }) => {
    if (method.trainer === "none") {
      const r = starts.find((b) => b.seed === seed)!.run;
      return {
        method,
        seed,
        key: r.key,
        cached: r.cached,
        modelDir: `${r.dir}/${r.result.modelDir}`,
        metrics: [],
      };
    }
    const run = found.get(methodLabel(method.name, seed))!;
    const res = run.result as DistillResult & GrpoResult;
    return {
      method,
      seed,
      key: run.key,
      cached: run.cached,
      modelDir: `${run.dir}/${res.modelDir}`,
      metrics: res.metrics,
      heldOutBefore: res.heldOutBefore,
      heldOutAfter: res.heldOutAfter,
    };
  });
}

/** Evaluate every method's model (bare, plan-solve, retention), cached per trained run. */
export async function evaluateMethods(
  params: ReattachmentParams,
  dp: DistillParams,
  runs: readonly MethodRun[],
  opts: {
    root?: string;
    onRun?: (label: string, run: CachedRun<MethodEvaluation>, seconds: number) => void;
  } = {},
): Promise<MethodEvaluation[]> {
  const p = parseReattachmentParams(params);
  const out: MethodEvaluation[] = [];
  for (const r of runs) {
    const config = {
      run_key: r.key,
      harness: harnessConfig(p, "arithmetic"),
      eval_levels: dp.eval_levels,
      eval_per_level: dp.eval_per_level,
      retention_n: dp.retention_n,
      retention_formats: dp.retention_formats,
    };
    const t0 = performance.now();
    const run = await cachedRun<MethodEvaluation>(
      { kind: "distill_eval", version: DISTILL_EVAL_VERSION, config, root: opts.root },
      () => evaluateModel(p, dp, r),
    );
    opts.onRun?.(`${methodLabel(r.method.name, r.seed)} eval`, run, (performance.now() - t0) / 1000);
    // The cache is keyed by the trained run: a renamed method (or one whose config equals another's) reads
    // the stored evaluation, which is labelled here by this method and seed.
    out.push({ ...run.result, method: r.method.name, seed: r.seed });
  }
  return out;
}

async function evaluateModel(
  p: ReattachmentParams,
  dp: DistillParams,
  r: MethodRun,
): Promise<MethodEvaluation> {
  const sft = baseSftConfig(p, "arithmetic");
  const set = await loadEvalSet(sft.eval_set);
  const task = makeTask(set.settings);
  const levels = new Set(dp.eval_levels);
  const count = new Map<number, number>();
  const problems = set.examples.filter((e) => {
    if (!levels.has(e.level)) return false;
    const c = count.get(e.level) ?? 0;
    count.set(e.level, c + 1);
    return c < dp.eval_per_level;
  });
  await selectBackend({ quiet: true });
  const { config, stateDict } = await loadModelDir(r.modelDir);
  const model = Gpt.fromStateDict(config, stateDict);
  try {
    const harness = makeHarness(harnessConfig(p, "arithmetic"));
    const bare = evaluateMode(model, task, harness, problems, "bare");
    const withHarness = evaluateMode(model, task, harness, problems, "harness");
    const traces = exampleTraces(bare, withHarness, 2);
    const byId = new Map(bare.map((b) => [b.problem, b]));
    const retention = formatRetention(model, task, FormatOptionsSchema.parse(sft.formats ?? {}), {
      n: dp.retention_n,
      levels: (dp.common.levels as number[] | undefined) ?? dp.eval_levels,
      formats: dp.retention_formats,
    });
    return {
      method: r.method.name,
      seed: r.seed,
      outcomes: { bare: bare.map(outcomeOf), harness: withHarness.map(outcomeOf) },
      retention,
      traces,
      bareOnTraces: traces.map((t) => byId.get(t.problem)!),
    };
  } finally {
    model.dispose();
  }
}

function outcomeOf(r: HarnessResult): Outcome {
  return {
    id: r.problem.id ?? "",
    level: r.problem.level,
    truth: r.problem.answer,
    predicted: r.answer,
    correct: r.correct,
  };
}
