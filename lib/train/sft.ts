/**
 * Supervised fine-tuning (SFT) on a procedural task: next-token cross-entropy
 * on the target tokens (scratchpad + answer), prompts as context only.
 * Batches are drawn fresh from the task generator every step (no epochs), with
 * levels chosen by `level_weights`; evaluation is greedy exact-match on a
 * frozen eval set in datasets/, per level.
 *
 * A run is a pure function of its validated config: `runSft` goes through the
 * run cache, so the same config returns the stored result and a changed knob
 * recomputes. Same config + seed on the same backend gives bit-identical metrics.
 */
import { z } from "zod";
import { parseConfig } from "../core/config.ts";
import { Rng } from "../core/rng.ts";
import { LabError } from "../core/errors.ts";
import { GptConfigFields, refineGptConfig } from "../model/config.ts";
import { Gpt } from "../model/gpt.ts";
import { assertTrainingFits } from "../model/memory.ts";
import { makeTask, TaskSettingsSchema } from "../tasks/task.ts";
import { VOCAB_SIZE } from "../tasks/tokenizer.ts";
import { loadEvalSet } from "../tasks/eval_sets.ts";
import { adamwFields } from "./optimizer.ts";
import { FormatOptionsSchema, FORMATS_VERSION, FormatSampler } from "../harness/formats.ts";
import { MemoryBank } from "../harness/memory_bank.ts";
import { drawMixBatch, groupByFormat, groupedLoss, MixEntrySchema, mixIssues } from "./sft_mix.ts";
import type { MetricRecord } from "./loop.ts";
import {
  BackendChoiceSchema,
  cachedTraining,
  type RunFacts,
  type TrainerHooks,
  type TrainIo,
  trainModel,
} from "./trainer.ts";
import {
  evaluateExamples,
  type ExampleResult,
  firstPerLevel,
  type LevelScore,
  scoreByLevel,
} from "./evaluate.ts";

/** Bump when a change to this trainer changes results for the same config. */
// sft-2: q/k/v from weight slices in training (float-level changes).
// sft-3: native kernels on OpenBLAS (lib/core/native) where they load: every number moves in the last bits;
// the stock path computes what sft-2 did.
export const SFT_VERSION = "sft-3";

const ModelSchema = GptConfigFields.extend({
  vocab_size: z.number().int().min(2).default(VOCAB_SIZE),
  block_size: z.number().int().min(2).max(4096).default(72),
}).superRefine(refineGptConfig);

export const SftConfigSchema = z.strictObject({
  seed: z.number().int().min(0).default(0),
  backend: BackendChoiceSchema,
  model: ModelSchema.prefault({}),
  task: TaskSettingsSchema.prefault({ family: "arithmetic" }),
  train_levels: z.array(z.number().int().min(1)).min(1).default([1, 2, 3, 4, 5, 6]),
  /** Relative sampling weight of each train level (default: equal). */
  level_weights: z.array(z.number().min(0)).optional(),
  steps: z.number().int().min(1).default(1000),
  batch_size: z.number().int().min(1).default(64),
  ...adamwFields({ lr: 1e-3, weight_decay: 0.1 }),
  min_lr: z.number().min(0).default(1e-4),
  warmup_steps: z.number().int().min(0).default(50),
  /** Frozen eval set: datasets/NAME.jsonl. */
  eval_set: z.string().default("arith_eval"),
  /** Levels evaluated (default: every level of the set that fits block_size). */
  eval_levels: z.array(z.number().int().min(1)).min(1).optional(),
  /** First N examples of each level are evaluated (0 = all). */
  eval_per_level: z.number().int().min(0).default(50),
  eval_every: z.number().int().min(1).default(250),
  checkpoint_every: z.number().int().min(0).default(250),
  /** Formats and context kinds to train on (sft_mix.ts); absent: bare only. */
  mix: z.array(MixEntrySchema).min(1).optional(),
  /** Options of the mix's harness formats (lib/harness/formats.ts). */
  formats: FormatOptionsSchema.optional(),
  /** Precedent: keep up to this many of the home-world examples trained on as the warm bank (bank.json). */
  bank_max: z.number().int().min(1).optional(),
}).superRefine((c, ctx) => {
  if (c.level_weights && c.level_weights.length !== c.train_levels.length) {
    ctx.addIssue({
      code: "custom",
      path: ["level_weights"],
      message:
        `level_weights has ${c.level_weights.length} entries but train_levels has ${c.train_levels.length}; give one weight per level`,
    });
  }
  if (c.level_weights && !c.level_weights.some((w) => w > 0)) {
    ctx.addIssue({
      code: "custom",
      path: ["level_weights"],
      message: "level_weights must have at least one positive weight",
    });
  }
  if (c.warmup_steps >= c.steps) {
    ctx.addIssue({
      code: "custom",
      path: ["warmup_steps"],
      message: `warmup_steps ${c.warmup_steps} must be below steps ${c.steps}`,
    });
  }
  if (c.min_lr > c.lr) {
    ctx.addIssue({
      code: "custom",
      path: ["min_lr"],
      message: `min_lr ${c.min_lr} must not exceed lr ${c.lr}`,
    });
  }
  const task = makeTask(c.task);
  if (c.mix) {
    const sampler = new FormatSampler(task, FormatOptionsSchema.parse(c.formats ?? {}));
    for (const issue of mixIssues(c.mix, task, sampler, c.train_levels, c.model.block_size)) {
      ctx.addIssue({ code: "custom", ...issue });
    }
  }
  if (c.bank_max !== undefined && task.family !== "precedent") {
    ctx.addIssue({
      code: "custom",
      path: ["bank_max"],
      message:
        `bank_max keeps a memory bank of labelled examples, which only the precedent family has (task is ${task.family}); remove it`,
    });
  }
  for (
    const [field, levels] of [["train_levels", c.train_levels], ["eval_levels", c.eval_levels ?? []]] as const
  ) {
    for (const level of levels) {
      if (!task.levels.includes(level)) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `level ${level} is not a ${task.family} level (${task.levels[0]}..${task.levels.at(-1)})`,
        });
      } else if (task.sequenceLength(level) - 1 > c.model.block_size) {
        ctx.addIssue({
          code: "custom",
          path: ["model", "block_size"],
          message: `block_size ${c.model.block_size} is too short for ${field} level ${level} (${
            task.sequenceLength(level)
          } tokens); raise block_size or drop the level`,
        });
      }
    }
  }
});

export type SftConfig = z.output<typeof SftConfigSchema>;

export interface SftResult extends RunFacts {
  numParams: number;
  metrics: MetricRecord[];
  final: LevelScore[];
  /** A few greedy completions per level from the final model. */
  samples: ExampleResult[];
  /** With bank_max: the warm bank of home-world examples trained on, relative to the run's directory. */
  bankFile?: string;
  bankSize?: number;
}

/** Validate an SFT config (LabError naming each bad field). */
export function parseSftConfig(input: unknown, where = "SFT config"): SftConfig {
  return parseConfig(SftConfigSchema, input, where);
}

/** Parse, then train through the run cache. */
export async function runSft(input: unknown, hooks: TrainerHooks = {}) {
  const config = parseSftConfig(input);
  return await cachedTraining(await sftRunSpec(config, hooks.root), hooks, (io) => trainSft(config, io));
}

/** `{ formats_version }` for a config that trains on a mix of formats (part of its cache identity), else `{}`. */
export function startFormats(config: Pick<SftConfig, "mix">): { formats_version?: string } {
  return config.mix ? { formats_version: FORMATS_VERSION } : {};
}

/** The run-cache identity of a validated SFT config (its eval set's checksum included). */
export async function sftRunSpec(config: SftConfig, root?: string) {
  const evalSet = await loadEvalSet(config.eval_set);
  return {
    kind: "sft",
    version: SFT_VERSION,
    config: { ...config, eval_set_sha256: evalSet.sha256, ...startFormats(config) },
    root,
  };
}

/** Train one SFT model (no caching); writes the final model to outDir/model and metrics to outDir/metrics.jsonl. */
export async function trainSft(config: SftConfig, io: TrainIo): Promise<SftResult> {
  return await trainModel(config, io, SFT_VERSION, async () => {
    assertTrainingFits(config.model, config.batch_size, config.model.block_size, "SFT config", "batch_size");
    const task = makeTask(config.task);
    const evalSet = await loadEvalSet(config.eval_set);
    if (evalSet.family !== task.family) {
      throw new LabError(
        `eval_set '${config.eval_set}' is a ${evalSet.family} set but the task is ${task.family}`,
        "pick an eval set of the task's family",
      );
    }
    const fits = (level: number) => task.sequenceLength(level) - 1 <= config.model.block_size;
    const levels = new Set(config.eval_levels ?? evalSet.examples.map((e) => e.level).filter(fits));
    const inSet = evalSet.examples.filter((e) => levels.has(e.level));
    const evalExamples = config.eval_per_level > 0 ? firstPerLevel(inSet, config.eval_per_level) : inSet;
    const root = new Rng(config.seed);
    const model = Gpt.init(config.model, root.fork("init"));
    const weights = config.level_weights ?? config.train_levels.map(() => 1);
    const B = config.batch_size, blockSize = config.model.block_size;
    const sampler = new FormatSampler(task, FormatOptionsSchema.parse(config.formats ?? {}));
    let bank = config.bank_max !== undefined ? new MemoryBank() : undefined;
    let lastResults: ExampleResult[] = []; // the loop always evaluates after its last step
    return {
      model,
      loop: {
        schedule: {
          lr: config.lr,
          minLr: config.min_lr,
          warmupSteps: config.warmup_steps,
          totalSteps: config.steps,
        },
        rng: root.fork("data"),
        lossFn: (_step, rng) => {
          const rows = config.mix
            ? drawMixBatch(config.mix, sampler, rng, B, config.train_levels, weights)
            : Array.from({ length: B }, () => {
              const ex = task.sample(rng, config.train_levels[rng.categorical(weights)]);
              return { format: "bare", level: ex.level, prompt: ex.prompt, target: ex.target };
            });
          if (bank && bank.size < config.bank_max!) {
            const fresh = rows.filter((r) => r.format === "bare").map((r) => ({
              prompt: r.prompt,
              label: r.target.replace(/\$$/, ""),
              level: r.level,
            }));
            bank.add(fresh.slice(0, config.bank_max! - bank.size));
          }
          // Rows are fed padded to T, so each row's offset keeps T positions inside the table.
          const offsetsFor = config.model.random_position_offset
            ? (n: number, T: number) => Array.from({ length: n }, () => rng.int(blockSize - T + 1))
            : undefined;
          return groupedLoss(model, groupByFormat(rows), blockSize, offsetsFor);
        },
        extraState: bank
          ? {
            save: () => bank!.toJson(),
            restore: (state: unknown) => {
              bank = MemoryBank.fromJson(state, "checkpointed bank");
            },
          }
          : undefined,
        evaluate: () => {
          lastResults = evaluateExamples(model, task, evalExamples);
          const scores = scoreByLevel(lastResults);
          return Object.fromEntries(scores.map((s) => [`acc_L${s.level}`, s.accuracy]));
        },
        evalEvery: config.eval_every,
      },
      finish: async ({ metrics }) => {
        // A run resumed from its final checkpoint skips the loop's last evaluation.
        const results = lastResults.length ? lastResults : evaluateExamples(model, task, evalExamples);
        const final = scoreByLevel(results);
        const samples = final.flatMap((s) => results.filter((r) => r.level === s.level).slice(0, 3));
        if (io.outDir) {
          await Deno.writeTextFile(
            `${io.outDir}/metrics.jsonl`,
            metrics.map((m) => JSON.stringify(m)).join("\n") + "\n",
          );
          if (bank) await bank.save(`${io.outDir}/bank.json`);
        }
        const banked = bank ? { bankFile: "bank.json", bankSize: bank.size } : {};
        return { numParams: model.numParams(), metrics, final, samples, ...banked };
      },
    };
  });
}
