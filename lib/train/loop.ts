/**
 * The shared training loop: schedule, gradient step, clipping, periodic
 * evaluation, metrics stream, checkpoints, resume, divergence stop.
 *
 * Trainers (SFT, GRPO, distillation) supply only `lossFn`, which draws its
 * batch from the loop's seeded generator and returns a scalar loss (and, if
 * they must work outside the gradient tape, e.g. sample rollouts, `prepare`);
 * the loop does the rest. Trainer state beyond model, optimizer and generator
 * (a curriculum's estimates) rides in the checkpoint via `extraState`. A checkpoint (model + optimizer moments + generator state +
 * metrics so far) is one directory written atomically, so an interrupted run
 * resumes from its last checkpoint and finishes bit-identical to an
 * uninterrupted one. A non-finite loss or gradient norm stops the run with a
 * LabError before the bad update is applied, leaving the last good checkpoint.
 */
import * as tf from "@tensorflow/tfjs";
import type { Gpt } from "../model/gpt.ts";
import { type AdamW, globalNorm } from "./optimizer.ts";
import { learningRate, type Schedule } from "./schedule.ts";
import { Rng, type RngState } from "../core/rng.ts";
import { LabError } from "../core/errors.ts";
import { decodeSafetensors, encodeSafetensors } from "../model/safetensors.ts";
import { loadModelDir, saveModelDir } from "../model/checkpoint.ts";
import { writeDirAtomic } from "../core/atomic.ts";
import type { ProgressSink } from "../core/progress.ts";

/** One line of metrics.jsonl. */
export type MetricRecord = { step: number } & Record<string, number | string>;

export interface LoopSpec {
  model: Gpt;
  optimizer: AdamW;
  schedule: Schedule;
  /** Generator for batches; its state is checkpointed. */
  rng: Rng;
  /**
   * Work before the gradient tape opens (e.g. sampling rollouts, which must not
   * be recorded on the tape). `skip` leaves the step without an update (its
   * record has `skipped: 1` and no loss); `info` joins the step's record.
   */
  prepare?: (
    step: number,
    rng: Rng,
  ) =>
    | { skip?: boolean; info?: Record<string, number> }
    | Promise<{ skip?: boolean; info?: Record<string, number> }>;
  /** Build a batch from `rng` and return the loss (called inside a gradient tape); `info` joins the record. */
  lossFn: (step: number, rng: Rng) => { loss: tf.Scalar; tokens: number; info?: Record<string, number> };
  /** Trainer state beyond model, optimizer and generator (e.g. a curriculum's estimates), checkpointed as JSON. */
  extraState?: { save(): unknown; restore(state: unknown): void };
  /** Metrics computed every `evalEvery` steps and after the last step. */
  evaluate?: (step: number) => Record<string, number> | Promise<Record<string, number>>;
  evalEvery: number;
  /** Steps between checkpoints (0 = none). Needs `workDir`. */
  checkpointEvery: number;
  /** Persistent directory for checkpoints (survives interruption). */
  workDir?: string;
  progress?: ProgressSink;
  onMetrics?: (rec: MetricRecord) => void;
}

export interface LoopResult {
  metrics: MetricRecord[];
  resumedFrom: number;
}

interface LoopState {
  step: number;
  rng: RngState;
  optimizerT: number;
  extra?: unknown;
}

/** Run (or resume) the loop to `schedule.totalSteps`. */
export async function runLoop(spec: LoopSpec): Promise<LoopResult> {
  const { model, optimizer, schedule } = spec;
  let rng = spec.rng;
  let metrics: MetricRecord[] = [];
  let start = 0;
  const ckptDir = spec.workDir ? `${spec.workDir}/checkpoint` : undefined;
  if (ckptDir && (await exists(`${ckptDir}/state.json`))) {
    const restored = await loadCheckpoint(ckptDir, model, optimizer);
    start = restored.state.step;
    rng = Rng.fromState(restored.state.rng);
    metrics = restored.metrics;
    if (spec.extraState) spec.extraState.restore(restored.state.extra);
  }
  const resumedFrom = start;
  const vars = [...model.params.values()];
  const emit = (rec: MetricRecord) => {
    metrics.push(rec);
    spec.onMetrics?.(rec);
  };
  if (start === 0 && spec.evaluate) emit({ step: 0, ...(await spec.evaluate(0)) });
  // Evaluate, record, report and checkpoint after a step (updated or skipped).
  const finishStep = async (step: number, rec: MetricRecord) => {
    const last = step + 1 === schedule.totalSteps;
    if (spec.evaluate && ((step + 1) % spec.evalEvery === 0 || last)) {
      Object.assign(rec, await spec.evaluate(step + 1));
    }
    emit(rec);
    const shown: Record<string, number> = {};
    for (const k of ["loss", "reward"]) if (typeof rec[k] === "number") shown[k] = rec[k] as number;
    spec.progress?.update(step + 1, schedule.totalSteps, shown);
    if (ckptDir && spec.checkpointEvery > 0 && ((step + 1) % spec.checkpointEvery === 0 || last)) {
      await saveCheckpoint(ckptDir, model, optimizer, {
        step: step + 1,
        rng: rng.state(),
        optimizerT: optimizer.t,
        extra: spec.extraState?.save(),
      }, metrics);
    }
  };

  for (let step = start; step < schedule.totalSteps; step++) {
    const lr = learningRate(step, schedule);
    const prep = spec.prepare ? await spec.prepare(step, rng) : {};
    if (prep.skip) {
      const rec: MetricRecord = { step: step + 1, lr, skipped: 1, ...prep.info };
      await finishStep(step, rec);
      continue;
    }
    let tokens = 0;
    let info: Record<string, number> | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const out = spec.lossFn(step, rng);
      tokens = out.tokens;
      info = out.info;
      return out.loss;
    }, vars);
    const loss = value.dataSync()[0] + 0; // + 0: -0 would not survive a JSON round trip (resume)
    value.dispose();
    // Map variable-name grads back to parameter names.
    const named: Record<string, tf.Tensor> = {};
    for (const [name, v] of model.params) named[name] = grads[v.name];
    let gradNorm = NaN;
    if (Number.isFinite(loss)) gradNorm = globalNorm(named);
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      tf.dispose(grads);
      throw new LabError(
        `training diverged at step ${step + 1}: loss=${loss}, grad_norm=${gradNorm} (lr=${
          lr.toExponential(2)
        }); ` +
          (ckptDir ? `the last good checkpoint is kept in ${ckptDir}` : "no checkpoint was configured"),
        "lower lr, lengthen warmup_steps or set grad_clip, then re-run",
      );
    }
    optimizer.apply(named, lr, gradNorm);
    tf.dispose(grads);
    await finishStep(step, { step: step + 1, lr, loss, grad_norm: gradNorm, tokens, ...prep.info, ...info });
  }
  spec.progress?.done(`${schedule.totalSteps} steps`);
  return { metrics, resumedFrom };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Write model, optimizer moments, loop state and metrics as one atomic directory. */
export async function saveCheckpoint(
  dir: string,
  model: Gpt,
  optimizer: AdamW,
  state: LoopState,
  metrics: MetricRecord[],
): Promise<void> {
  const opt = optimizer.exportState();
  await writeDirAtomic(dir, async (tmp) => {
    await saveModelDir(`${tmp}/model`, model.config, model.stateDict());
    await Deno.writeFile(
      `${tmp}/optimizer.safetensors`,
      encodeSafetensors(opt.tensors, { t: String(opt.t) }),
    );
    await Deno.writeTextFile(`${tmp}/metrics.jsonl`, metrics.map((m) => JSON.stringify(m)).join("\n") + "\n");
    await Deno.writeTextFile(`${tmp}/state.json`, JSON.stringify(state));
  });
}

/** Restore a checkpoint into `model` and `optimizer`; errors name the file. */
export async function loadCheckpoint(dir: string, model: Gpt, optimizer: AdamW) {
  const fix = `delete ${dir} to restart the run from step 0`;
  let state: LoopState;
  try {
    state = JSON.parse(await Deno.readTextFile(`${dir}/state.json`));
  } catch (e) {
    throw new LabError(`checkpoint ${dir}/state.json is unreadable: ${(e as Error).message}`, fix);
  }
  if (!Number.isInteger(state?.step) || !Array.isArray(state?.rng)) {
    throw new LabError(`checkpoint ${dir}/state.json lacks step or rng`, fix);
  }
  const { config, stateDict } = await loadModelDir(`${dir}/model`);
  if (JSON.stringify(config) !== JSON.stringify(model.config)) {
    throw new LabError(`checkpoint ${dir} was saved with a different model config`, fix);
  }
  model.loadStateDict(stateDict);
  const optPath = `${dir}/optimizer.safetensors`;
  const decoded = decodeSafetensors(await Deno.readFile(optPath), optPath);
  optimizer.importState({ tensors: decoded.tensors, t: state.optimizerT }, optPath);
  const metrics: MetricRecord[] = (await Deno.readTextFile(`${dir}/metrics.jsonl`)).split("\n").filter((l) =>
    l.trim()
  )
    .map((l, i) => {
      try {
        return JSON.parse(l);
      } catch {
        throw new LabError(`checkpoint ${dir}/metrics.jsonl line ${i + 1} is not JSON`, fix);
      }
    });
  return { state, metrics };
}
