/**
 * GRPO run config (zod; every field validated, cross-field errors quote the
 * values). The start model is named by its full SFT config: the GRPO run
 * trains that SFT run's final model (computed or read from the run cache), so
 * a GRPO result is a pure function of this config.
 *
 * Steps count optimizer updates. Each batch of rollouts (prompts_per_step
 * prompts x group_size samples) is used for inner_epochs updates (PPO-style
 * reuse, the clipped ratio keeping them close to the sampling policy), so a
 * new batch is drawn every inner_epochs steps; evaluation and checkpoints fall
 * on batch boundaries. Every level must fit the start model's context; that
 * rule, like the others across fields, is checked here, before anything trains.
 */
import { levelIssues } from "../level_issues.ts";
import { z } from "zod";
import { parseConfig } from "../../core/config.ts";
import { makeTask } from "../../tasks/task.ts";
import { adamwFields } from "../optimizer.ts";
import { SftConfigSchema } from "../sft.ts";
import { BackendChoiceSchema } from "../trainer.ts";
import { CurriculumSchema } from "./curriculum.ts";
import { replayIssues, ReplaySchema } from "../replay.ts";

export const GrpoConfigSchema = z.strictObject({
  seed: z.number().int().min(0).default(0),
  backend: BackendChoiceSchema,
  /** The SFT run whose final model GRPO starts from (and the KL reference). */
  start: SftConfigSchema,
  /** Difficulty levels measured and offered to the curriculum. */
  levels: z.array(z.number().int().min(1)).min(1),
  curriculum: CurriculumSchema.default({ kind: "uniform" }),
  steps: z.number().int().min(1).default(200),
  prompts_per_step: z.number().int().min(1).default(16),
  group_size: z.number().int().min(2).default(8),
  temperature: z.number().positive().default(1),
  advantage: z.strictObject({
    scale: z.enum(["group_std", "batch_std", "none"]).default("group_std"),
    eps: z.number().min(0).default(1e-6),
  }).prefault({}),
  /** Added to the reward of a well-formed completion (0 = correctness only). */
  format_reward: z.number().min(0).default(0),
  /** PPO-style ratio clipping (DAPO's asymmetric low/high allowed); null = none. */
  clip: z.strictObject({ low: z.number().min(0).max(1), high: z.number().min(0) }).nullable()
    .default({ low: 0.2, high: 0.2 }),
  inner_epochs: z.number().int().min(1).default(1),
  /** Weight of the k3 KL to the frozen start model (0 = no reference). */
  kl_coef: z.number().min(0).default(0),
  /** DAPO dynamic filtering: drop groups whose rewards are all equal. */
  dynamic_filter: z.boolean().default(false),
  aggregation: z.enum(["token", "sequence"]).default("token"),
  /** AdamW at a constant learning rate after warmup. */
  ...adamwFields({ lr: 1e-4, weight_decay: 0 }),
  warmup_steps: z.number().int().min(0).default(0),
  eval_every: z.number().int().min(1).default(20),
  /** Greedy held-out prompts per level (the first N of the start's eval set). */
  eval_per_level: z.number().int().min(1).default(50),
  /** Prompts per level sampled in groups for the productive-band measurement. */
  band_prompts: z.number().int().min(1).default(16),
  checkpoint_every: z.number().int().min(0).default(20),
  /** Greedy completions kept per level before and after training. */
  samples_per_level: z.number().int().min(0).default(3),
  /**
   * Gold harness-call rows per batch of rollouts, trained by cross-entropy beside the policy-gradient loss
   * (lib/train/replay.ts). Absent: none (and the run's cache key is what it was before the field existed).
   */
  replay: ReplaySchema.optional(),
}).superRefine((c, ctx) => {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });
  if (c.inner_epochs > 1 && c.clip === null) {
    issue(
      ["clip"],
      `inner_epochs ${c.inner_epochs} reuses each batch, which needs clip; got clip null (set clip or inner_epochs 1)`,
    );
  }
  if (c.eval_every % c.inner_epochs !== 0) {
    issue(["eval_every"], `eval_every ${c.eval_every} must be a multiple of inner_epochs ${c.inner_epochs}`);
  }
  if (c.checkpoint_every % c.inner_epochs !== 0) {
    issue(
      ["checkpoint_every"],
      `checkpoint_every ${c.checkpoint_every} must be a multiple of inner_epochs ${c.inner_epochs}`,
    );
  }
  if (c.steps % c.inner_epochs !== 0) {
    issue(["steps"], `steps ${c.steps} must be a multiple of inner_epochs ${c.inner_epochs}`);
  }
  if (c.warmup_steps >= c.steps) {
    issue(["warmup_steps"], `warmup_steps ${c.warmup_steps} must be below steps ${c.steps}`);
  }
  if (c.band_prompts > c.eval_per_level) {
    issue(
      ["band_prompts"],
      `band_prompts ${c.band_prompts} exceeds eval_per_level ${c.eval_per_level}; band prompts are the first held-out prompts`,
    );
  }
  if (c.curriculum.kind === "static_band" && c.curriculum.low > c.curriculum.high) {
    issue(["curriculum", "low"], `static band low ${c.curriculum.low} exceeds high ${c.curriculum.high}`);
  }
  // Every level is measured and may be trained on: its prompt and completion must fit the start model.
  const task = makeTask(c.start.task);
  if (c.replay) { for (const i of replayIssues(c.replay, task.family)) issue(i.path, i.message); }
  const block = c.start.model.block_size;
  for (const i of levelIssues(c.levels, task, block)) issue(i.path, i.message);
});

export type GrpoConfig = z.output<typeof GrpoConfigSchema>;

/** Validate a GRPO config (LabError naming each bad field). */
export function parseGrpoConfig(input: unknown, where = "GRPO config"): GrpoConfig {
  return parseConfig(GrpoConfigSchema, input, where);
}
