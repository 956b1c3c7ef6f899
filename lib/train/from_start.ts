/**
 * Trainers that continue from an SFT start model (GRPO, distillation): the
 * cache identity of such a run, and running it with its start model made
 * sure of first (through the cache, so a sweep's runs share one start).
 *
 * The identity holds the trainer's config, the start trainer's version and
 * the start's eval-set checksum; `formats_version` only when the start was
 * trained on a format mix (as `sftRunSpec` keys it), so other keys are
 * unchanged by it.
 */
import type { CachedRun, RunSpec } from "../core/run_cache.ts";
import { loadEvalSet } from "../tasks/eval_sets.ts";
import { runSft, SFT_VERSION, type SftConfig, startFormats } from "./sft.ts";
import { cachedTraining, type TrainerHooks, type TrainIo } from "./trainer.ts";

/** The run-cache identity of a validated config trained from `config.start`. */
export async function fromStartRunSpec<C extends { start: SftConfig }>(
  kind: string,
  version: string,
  config: C,
  root?: string,
): Promise<RunSpec> {
  const evalSet = await loadEvalSet(config.start.eval_set);
  return {
    kind,
    version,
    config: {
      ...config,
      sft_version: SFT_VERSION,
      eval_set_sha256: evalSet.sha256,
      ...startFormats(config.start),
    },
    root,
  };
}

/** Make sure the start model exists (SFT through the cache), then train from its model folder through the cache. */
export async function runFromStart<C extends { start: SftConfig }, R>(
  config: C,
  spec: RunSpec,
  hooks: TrainerHooks,
  train: (config: C, startModelDir: string, io: TrainIo) => Promise<R>,
): Promise<CachedRun<R>> {
  const start = await runSft(config.start, { root: hooks.root });
  return await cachedTraining(
    spec,
    hooks,
    (io) => train(config, `${start.dir}/${start.result.modelDir}`, io),
  );
}
