/**
 * The trainers a sweep can run, by name: how to validate a config, where its
 * result lives in the run cache, and how to run it (through the cache).
 * sweep.ts and its worker process look trainers up here; a new trainer
 * (built on trainer.ts) registers one entry.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { TRAINERS } from "./registry.ts";
 * assertEquals(Object.keys(TRAINERS), ["sft", "grpo", "distill", "facts-pretrain"]);
 * ```
 */
import type { CachedRun, RunSpec } from "../core/run_cache.ts";
import type { TrainerHooks } from "./trainer.ts";
import { parseSftConfig, runSft, sftRunSpec } from "./sft.ts";
import { grpoRunSpec, runGrpo } from "./grpo/grpo.ts";
import { parseGrpoConfig } from "./grpo/config.ts";
import { distillRunSpec, runDistill } from "./distill/distill.ts";
import { parseDistillConfig } from "./distill/config.ts";
import { factPretrainRunSpec, parseFactPretrainConfig, runFactPretrain } from "./facts/pretrain.ts";

export interface Trainer {
  /** Validate (LabError naming the bad field) without running. */
  parse(config: unknown, where: string): unknown;
  /** The cache identity of a validated config. */
  spec(config: unknown, root?: string): Promise<RunSpec>;
  run(config: unknown, hooks: TrainerHooks): Promise<CachedRun<unknown>>;
}

export const TRAINERS = {
  sft: {
    parse: (c, where) => parseSftConfig(c, where),
    spec: (c, root) => sftRunSpec(parseSftConfig(c), root),
    run: (c, hooks) => runSft(c, hooks),
  },
  grpo: {
    parse: (c, where) => parseGrpoConfig(c, where),
    spec: (c, root) => grpoRunSpec(parseGrpoConfig(c), root),
    run: (c, hooks) => runGrpo(c, hooks),
  },
  distill: {
    parse: (c, where) => parseDistillConfig(c, where),
    spec: async (c, root) => await distillRunSpec(parseDistillConfig(c), root),
    run: (c, hooks) => runDistill(c, hooks),
  },
  "facts-pretrain": {
    parse: (c, where) => parseFactPretrainConfig(c, where),
    spec: (c, root) => factPretrainRunSpec(parseFactPretrainConfig(c), root),
    run: (c, hooks) => runFactPretrain(c, hooks),
  },
} satisfies Record<string, Trainer>;

export type TrainerName = keyof typeof TRAINERS;
