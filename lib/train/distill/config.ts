/**
 * On-policy (harness) self-distillation run config (zod; cross-field errors
 * quote the values). Like GRPO's, the start model is named by its full SFT
 * config (its final model, computed or read from the run cache), so a result
 * is a pure function of this config.
 *
 * The teacher is the start model (weights "frozen", the reference's default)
 * or the model being trained ("current"), reading a privileged context placed
 * before the bare prompt's body (lib/harness/context.ts):
 *  - `{ source: "reference", strength }`: OPSD, the reference in graded
 *    strengths (answer only, partial solution, full solution);
 *  - `{ source: "harness", kind, builder }`: OPHSD, what the harness built
 *    (answer-like or full trace), live by the current model or with
 *    reference access (lib/harness/types.ts); a draft-verify harness reads
 *    the trainer's warm memory bank (distill.ts);
 *  - `{ source: "none" }`: the bare prompt (a control: the teacher is the
 *    student itself, so with current weights the loss is 0).
 * `objective: "sft"` replaces distillation by cross-entropy on the reference
 * solutions of the same problems (the SFT baseline at the same prompts and
 * about the same token budget; no teacher, no sampling).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { DistillConfigSchema } from "./config.ts";
 * const start = { model: { n_layer: 1, n_head: 2, n_embd: 16, block_size: 40 }, task: { family: "arithmetic", ops: ["+", "-"] }, train_levels: [1, 2], steps: 2, warmup_steps: 0 };
 * const c = DistillConfigSchema.parse({ start, levels: [2] });
 * assertEquals([c.loss.kind, c.teacher.weights, c.teacher.context.source], ["reverse_kl", "frozen", "reference"]);
 * ```
 */
import { levelIssues } from "../level_issues.ts";
import { z } from "zod";
import { parseConfig } from "../../core/config.ts";
import { HARNESS_FAMILY, HarnessConfigSchema } from "../../harness/config.ts";
import { REFERENCE_STRENGTHS } from "../../harness/teacher_context.ts";
import { BUILDERS, TEACHER_KINDS } from "../../harness/types.ts";
import { makeTask } from "../../tasks/task.ts";
import { adamwFields } from "../optimizer.ts";
import { SftConfigSchema } from "../sft.ts";
import { replayIssues, ReplaySchema } from "../replay.ts";
import { BackendChoiceSchema } from "../trainer.ts";
import { DivergenceSchema } from "./losses.ts";

export const TeacherContextSchema = z.discriminatedUnion("source", [
  z.strictObject({
    source: z.literal("reference"),
    strength: z.enum(REFERENCE_STRENGTHS).default("solution"),
  }),
  z.strictObject({
    source: z.literal("harness"),
    kind: z.enum(TEACHER_KINDS).default("trace"),
    builder: z.enum(BUILDERS).default("live"),
  }),
  z.strictObject({ source: z.literal("none") }),
]);
export type TeacherContext = z.output<typeof TeacherContextSchema>;

export const DistillConfigSchema = z.strictObject({
  seed: z.number().int().min(0).default(0),
  backend: BackendChoiceSchema,
  /** The SFT run whose final model is the student's start (and the frozen teacher). */
  start: SftConfigSchema,
  objective: z.enum(["distill", "sft"]).default("distill"),
  /** Levels the training problems are drawn from (uniformly), and measured. */
  levels: z.array(z.number().int().min(1)).min(1),
  steps: z.number().int().min(1).default(100),
  prompts_per_step: z.number().int().min(1).default(16),
  /**
   * Share of each step's prompts whose response the student samples (GKD's lambda, Agarwal et al. 2024);
   * the rest are sampled by the teacher under its privileged context, at the same temperature, and scored
   * the same way. Absent: 1, every response on-policy (the OPSD and OPHSD references).
   */
  student_fraction: z.number().min(0).max(1).optional(),
  /** The student's sampling temperature (the reference samples at 1). */
  temperature: z.number().positive().default(1),
  loss: DivergenceSchema.prefault({}),
  teacher: z.strictObject({
    weights: z.enum(["frozen", "current"]).default("frozen"),
    context: TeacherContextSchema.default({ source: "reference", strength: "solution" }),
    /**
     * Weights that run the harness building a harness context: the current model (absent, as the reference:
     * a drifting student writes its teacher's context) or the frozen start model (the context then stays as
     * good as the start's harness, which breaks the feedback loop).
     */
    harness_weights: z.enum(["current", "frozen"]).optional(),
  }).prefault({}),
  /** The harness that builds a "harness" teacher context (run by the current model). */
  harness: HarnessConfigSchema.optional(),
  /** Temperature of the harness's calls during training (0 = greedy). */
  harness_temperature: z.number().min(0).default(0),
  /**
   * Gold harness-call rows per step (lib/harness/formats.ts, drawn as the SFT mix draws them: entry by
   * weight, then a level from the entry's levels, default `levels`), trained by cross-entropy beside the
   * distillation loss.
   */
  replay: ReplaySchema.prefault({}),
  /** Weight of KL(student || start model) on the same tokens under the bare prompt (0 = no anchor). */
  anchor_coef: z.number().min(0).default(0),
  ...adamwFields({ lr: 3e-4, weight_decay: 0 }),
  warmup_steps: z.number().int().min(0).default(0),
  eval_every: z.number().int().min(1).default(20),
  /** Greedy held-out problems per level (the first N of the start's eval set). */
  eval_per_level: z.number().int().min(1).default(50),
  checkpoint_every: z.number().int().min(0).default(20),
}).superRefine((c, ctx) => {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });
  const task = makeTask(c.start.task);
  const block = c.start.model.block_size;
  if (c.warmup_steps >= c.steps) {
    issue(["warmup_steps"], `warmup_steps ${c.warmup_steps} must be below steps ${c.steps}`);
  }
  for (const i of levelIssues(c.levels, task, block)) issue(i.path, i.message);
  const source = c.teacher.context.source;
  if (
    c.objective === "sft" && (source !== "reference" || c.teacher.weights !== "frozen" || c.anchor_coef > 0)
  ) {
    issue(
      ["objective"],
      "objective 'sft' trains on reference solutions and has no teacher or anchor; leave teacher and anchor_coef at their defaults",
    );
  }
  if (c.student_fraction !== undefined && c.objective === "sft") {
    issue(
      ["student_fraction"],
      "objective 'sft' samples no responses (it trains on reference solutions); drop student_fraction",
    );
  }
  if (c.teacher.harness_weights && source !== "harness") {
    issue(
      ["teacher", "harness_weights"],
      `harness_weights '${c.teacher.harness_weights}' needs a harness teacher context, but the source is '${source}'; drop it`,
    );
  }
  if (source === "harness") {
    if (!c.harness) {
      issue(
        ["harness"],
        "teacher context source 'harness' needs a harness config, e.g. { kind: 'plan_solve' }",
      );
    } else if (HARNESS_FAMILY[c.harness.kind] !== task.family) {
      issue(
        ["harness", "kind"],
        `harness ${c.harness.kind} serves ${HARNESS_FAMILY[c.harness.kind]}, but the task is ${task.family}`,
      );
    }
  }
  if (
    c.objective === "distill" && source === "reference" && task.family !== "arithmetic" &&
    c.teacher.context.strength !== "answer"
  ) {
    issue(
      ["teacher", "context", "strength"],
      `reference strength '${c.teacher.context.strength}' does not exist for ${task.family}; use 'answer'`,
    );
  }
  for (const i of replayIssues(c.replay, task.family)) issue(i.path, i.message);
});

export type DistillConfig = z.output<typeof DistillConfigSchema>;

/** Validate a distillation config (LabError naming each bad field). */
export function parseDistillConfig(input: unknown, where = "distillation config"): DistillConfig {
  return parseConfig(DistillConfigSchema, input, where);
}
