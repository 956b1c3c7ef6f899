/**
 * The seam every trainer shares (SFT, GRPO, and distillation next): what a
 * caller passes in (`TrainerHooks`), the backend field of every trainer's
 * config, the run through the run cache (`cachedTraining`), and the frame
 * around the shared loop (`trainModel`): pick the backend, build AdamW from
 * the config (optimizer.ts), run the loop with checkpoints in the cache's work
 * directory, save the trained model, dispose every model, and record the facts
 * every result carries (backend, model directory, resume step, wall time).
 *
 * A trainer supplies only what is its own: its models, the loop's `lossFn`
 * (and `prepare`, `evaluate`, extra checkpoint state) and its result fields.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BackendChoiceSchema } from "./trainer.ts";
 * assertEquals(BackendChoiceSchema.parse(undefined), "auto");
 * ```
 */
import { z } from "zod";
import { selectBackend } from "../core/backend.ts";
import { type CachedRun, cachedRun, type RunSpec } from "../core/run_cache.ts";
import type { ProgressSink } from "../core/progress.ts";
import type { Gpt } from "../model/gpt.ts";
import { saveModelDir } from "../model/checkpoint.ts";
import { type AdamwConfig, adamwFor } from "./optimizer.ts";
import { type LoopResult, type LoopSpec, type MetricRecord, runLoop } from "./loop.ts";

/** What a caller hands a trainer: where progress and metrics go, and the run cache root. */
export interface TrainerHooks {
  progress?: ProgressSink;
  onMetrics?: (rec: MetricRecord) => void;
  /** Run cache root (default runs/). */
  root?: string;
}

/** Hooks plus the run cache entry's directories (absent when training outside the cache). */
export interface TrainIo extends TrainerHooks {
  /** Persistent scratch for checkpoints (resume); no checkpoints without it. */
  workDir?: string;
  /** Where the trained model (and a trainer's artifacts) are written. */
  outDir?: string;
}

/** `"auto"` picks the fastest working backend; the one used is recorded in the result. */
export const BackendChoiceSchema = z.enum(["auto", "tensorflow", "webgpu", "wasm", "cpu"]).default("auto");
export type BackendChoice = z.output<typeof BackendChoiceSchema>;

/** Train through the run cache: the stored result for `spec`, or `train` run in the entry's directories. */
export async function cachedTraining<R>(
  spec: RunSpec,
  hooks: TrainerHooks,
  train: (io: TrainIo) => Promise<R>,
): Promise<CachedRun<R>> {
  return await cachedRun(spec, (ctx) => train({ workDir: ctx.workDir, outDir: ctx.outDir, ...hooks }));
}

/** What a trainer sets up for `trainModel`. */
export interface Training<R> {
  /** The model trained (by AdamW over its params) and saved to outDir/model. */
  model: Gpt;
  /** Other models the trainer holds (a KL reference, a teacher): disposed with the model. */
  frozen?: (Gpt | null)[];
  /** The shared loop's trainer-specific part. */
  loop: Omit<LoopSpec, "model" | "optimizer" | "checkpointEvery" | "workDir" | "progress" | "onMetrics">;
  /** After the loop: the trainer's own result fields (in the order they should appear). */
  finish(done: LoopResult): R | Promise<R>;
}

/** The facts every trainer's result records about the run itself. */
export interface RunFacts {
  /** The backend the run used. */
  backend: string;
  /** The trained model, relative to the run's directory. */
  modelDir: string;
  /** Step the run resumed from (0 unless an interrupted run was continued). */
  resumedFrom: number;
  wallSeconds: number;
}

/**
 * The frame of one training run (no caching): selects the backend, calls
 * `setup`, trains its model with AdamW through the shared loop, saves it to
 * outDir/model tagged with `version`, and disposes every model and the
 * optimizer however the run ends.
 */
export async function trainModel<R extends object>(
  config: AdamwConfig & { backend: BackendChoice; checkpoint_every: number },
  io: TrainIo,
  version: string,
  setup: () => Training<R> | Promise<Training<R>>,
): Promise<{ backend: string } & R & Omit<RunFacts, "backend">> {
  const t0 = performance.now();
  const backend = await selectBackend({ prefer: config.backend === "auto" ? undefined : config.backend });
  const t = await setup();
  const optimizer = adamwFor(t.model.params, config);
  try {
    const done = await runLoop({
      ...t.loop,
      model: t.model,
      optimizer,
      checkpointEvery: io.workDir ? config.checkpoint_every : 0,
      workDir: io.workDir,
      progress: io.progress,
      onMetrics: io.onMetrics,
    });
    const own = await t.finish(done);
    if (io.outDir) {
      await saveModelDir(`${io.outDir}/model`, t.model.config, t.model.stateDict(), { trainer: version });
    }
    return {
      backend: backend.label,
      ...own,
      modelDir: "model",
      resumedFrom: done.resumedFrom,
      wallSeconds: (performance.now() - t0) / 1000,
    };
  } finally {
    optimizer.dispose();
    t.model.dispose();
    for (const m of t.frozen ?? []) m?.dispose();
  }
}
