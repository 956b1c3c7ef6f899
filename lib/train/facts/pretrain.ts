/**
 * Pre-training of a tier on the fact family (DESIGN.md, analysis 3): next-token
 * cross-entropy on the answer tokens of rows from the fact mix (bare queries
 * and queries with a sheet, lib/tasks/facts/mix.ts), fresh rows every step.
 * One run is both a size-ladder tier (its final model) and the whole
 * training-budget ladder (`snapshots`: the model saved at each listed step, so
 * budget tiers share an architecture, data order and seed and differ only in
 * steps). Evaluation: greedy digit on the frozen fact eval set, bare, per
 * frequency band, at every snapshot.
 *
 * Departs from Lin et al. 2026, whose tiers are released LLMs of different
 * sizes and training: here both axes are controlled, one at a time.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseFactPretrainConfig } from "./pretrain.ts";
 * const c = parseFactPretrainConfig({ steps: 100, snapshots: [50, 100] });
 * assertEquals(c.model.position, "rotary");
 * ```
 */
import { z } from "zod";
import { parseConfig } from "../../core/config.ts";
import { Rng } from "../../core/rng.ts";
import { GptConfigFields, refineGptConfig } from "../../model/config.ts";
import { Gpt } from "../../model/gpt.ts";
import { saveModelDir } from "../../model/checkpoint.ts";
import { VOCAB_SIZE } from "../../tasks/tokenizer.ts";
import { FactSettingsSchema, FactTable } from "../../tasks/facts/table.ts";
import { drawFactRow, FactMixSchema } from "../../tasks/facts/mix.ts";
import { sheetTokens } from "../../tasks/facts/sheet.ts";
import { loadFactsEval } from "../../tasks/facts/eval_set.ts";
import { adamwFields } from "../optimizer.ts";
import { groupByFormat, groupedLoss } from "../sft_mix.ts";
import type { MetricRecord } from "../loop.ts";
import {
  BackendChoiceSchema,
  cachedTraining,
  type RunFacts,
  type TrainerHooks,
  type TrainIo,
  trainModel,
} from "../trainer.ts";
import { answerFacts } from "../../sample/fact_answers.ts";

/** Bump when a change here changes results for the same config. */
// facts-pretrain-2: sheets hold the query's entry and at most max_fillers others (was: up to every slot).
export const FACT_PRETRAIN_VERSION = "facts-pretrain-2";

const ModelSchema = GptConfigFields.extend({
  vocab_size: z.number().int().min(2).default(VOCAB_SIZE),
  block_size: z.number().int().min(2).max(4096).default(64),
  position: z.enum(["learned", "rotary"]).default("rotary"),
}).superRefine(refineGptConfig);

export const FactPretrainConfigSchema = z.strictObject({
  seed: z.number().int().min(0).default(0),
  backend: BackendChoiceSchema,
  model: ModelSchema.prefault({}),
  table: FactSettingsSchema.prefault({}),
  mix: FactMixSchema.prefault({}),
  steps: z.number().int().min(1).default(2000),
  /** Steps at which the model is saved as a budget tier (the last step always is). */
  snapshots: z.array(z.number().int().min(1)).default([]),
  batch_size: z.number().int().min(1).default(64),
  ...adamwFields({ lr: 3e-3, weight_decay: 0.0 }),
  min_lr: z.number().min(0).default(3e-4),
  warmup_steps: z.number().int().min(0).default(50),
  checkpoint_every: z.number().int().min(0).default(0),
}).superRefine((c, ctx) => {
  const bad = c.snapshots.find((s) => s > c.steps);
  if (bad !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["snapshots"],
      message: `snapshot ${bad} is past steps ${c.steps}`,
    });
  }
  const need = 1 + sheetTokens(c.mix.slots) + 3 + 1;
  if (need > c.model.block_size) {
    ctx.addIssue({
      code: "custom",
      path: ["model", "block_size"],
      message:
        `block_size ${c.model.block_size} is too short for a ${c.mix.slots}-slot sheet (${need} tokens)`,
    });
  }
  if (c.warmup_steps >= c.steps) {
    ctx.addIssue({
      code: "custom",
      path: ["warmup_steps"],
      message: `warmup_steps ${c.warmup_steps} must be below steps ${c.steps}`,
    });
  }
});
export type FactPretrainConfig = z.output<typeof FactPretrainConfigSchema>;

export interface FactSnapshot {
  step: number;
  /** Model directory relative to the run's directory. */
  modelDir: string;
  /** Bare accuracy on the frozen set, per band and overall. */
  accuracy: number;
  byBand: number[];
}

export interface FactPretrainResult extends RunFacts {
  numParams: number;
  metrics: MetricRecord[];
  snapshots: FactSnapshot[];
}

export function parseFactPretrainConfig(
  input: unknown,
  where = "fact pre-training config",
): FactPretrainConfig {
  return parseConfig(FactPretrainConfigSchema, input, where);
}

export async function factPretrainRunSpec(config: FactPretrainConfig, root?: string) {
  const { sha256 } = await loadFactsEval();
  return {
    kind: "facts-pretrain",
    version: FACT_PRETRAIN_VERSION,
    config: { ...config, eval_sha256: sha256 },
    root,
  };
}

/** Parse, then train through the run cache. */
export async function runFactPretrain(input: unknown, hooks: TrainerHooks = {}) {
  const config = parseFactPretrainConfig(input);
  return await cachedTraining(
    await factPretrainRunSpec(config, hooks.root),
    hooks,
    (io) => trainFactPretrain(config, io),
  );
}

/** Train one run (no caching): snapshots under outDir/snapshots/step_N. */
export async function trainFactPretrain(
  config: FactPretrainConfig,
  io: TrainIo,
): Promise<FactPretrainResult> {
  return await trainModel(config, io, FACT_PRETRAIN_VERSION, async () => {
    const table = FactTable.build(config.table);
    const evalSet = (await loadFactsEval()).queries;
    const root = new Rng(config.seed);
    const model = Gpt.init(config.model, root.fork("init"));
    const marks = new Set([...config.snapshots, config.steps]);
    const snapshots: FactSnapshot[] = [];
    const bands = config.table.bands;
    const measure = () => {
      const answers = answerFacts(model, evalSet.map((q) => q.prompt));
      const right = evalSet.map((q, i) => answers[i] === q.answer);
      const byBand = Array.from({ length: bands }, (_, b) => {
        const inBand = right.filter((_, i) => evalSet[i].level === b + 1);
        return inBand.filter(Boolean).length / Math.max(1, inBand.length);
      });
      return { accuracy: right.filter(Boolean).length / right.length, byBand };
    };
    const gcd = (a: number, b: number): number => b === 0 ? a : gcd(b, a % b);
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
          const rows = Array.from({ length: config.batch_size }, () => drawFactRow(table, config.mix, rng));
          return groupedLoss(model, groupByFormat(rows), config.model.block_size);
        },
        evaluate: async (step): Promise<Record<string, number>> => {
          if (!marks.has(step)) return {};
          const m = measure();
          const modelDir = `snapshots/step_${step}`;
          if (io.outDir) {
            await saveModelDir(`${io.outDir}/${modelDir}`, model.config, model.stateDict(), {
              trainer: FACT_PRETRAIN_VERSION,
            });
          }
          snapshots.push({ step, modelDir, ...m });
          return { eval_acc: m.accuracy };
        },
        evalEvery: [...marks].reduce(gcd),
      },
      finish: ({ metrics }) => ({ numParams: model.numParams(), metrics, snapshots }),
    };
  });
}
