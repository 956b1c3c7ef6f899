/**
 * Replay of gold harness-call rows beside an on-policy objective (DESIGN.md:
 * bare-only fine-tuning makes a model forget the harness formats; "replay a
 * little harness-format data"): each step draws `rows` rows from the task's
 * format sampler (lib/harness/formats.ts) as the SFT mix draws them (an entry
 * by weight, then a level from the entry's levels, default the trainer's
 * levels), and the trainer adds `weight` x their token-mean cross-entropy to
 * its loss. One seam for every trainer that continues from an SFT start
 * (distillation, its SFT baseline, GRPO), so all of them replay on equal terms.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ReplaySchema } from "./replay.ts";
 * const r = ReplaySchema.parse({ rows: 4 });
 * assertEquals([r.rows, r.weight, r.mix[0].format], [4, 1, "plan"]);
 * ```
 */
import { z } from "zod";
import type * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng.ts";
import type { Gpt } from "../model/gpt.ts";
import { FormatOptionsSchema, FORMATS, FormatSampler } from "../harness/formats.ts";
import { makeTask, type TaskSettings } from "../tasks/task.ts";
import { drawMixBatch, groupByFormat, groupedLoss, MixEntrySchema } from "./sft_mix.ts";

export const ReplaySchema = z.strictObject({
  rows: z.number().int().min(0).default(0),
  weight: z.number().min(0).default(1),
  mix: z.array(MixEntrySchema).min(1).default([{ format: "plan", weight: 1 }]),
});
export type Replay = z.output<typeof ReplaySchema>;

export type ReplayRow = { format: string; level: number; prompt: string; target: string };

/** Schema issues of a replay mix for a task family (a format the family does not have; none when rows is 0). */
export function replayIssues(
  replay: Replay,
  family: keyof typeof FORMATS,
): { path: (string | number)[]; message: string }[] {
  const formats: readonly string[] = FORMATS[family];
  if (replay.rows === 0) return []; // no replay: the (default, arithmetic) mix is never drawn
  return replay.mix.flatMap(({ format: f }, i) =>
    formats.includes(f) ? [] : [{
      path: ["replay", "mix", i, "format"],
      message: `format '${f}' does not exist for ${family}; use one of ${formats.join(", ")}`,
    }]
  );
}

/** A replay drawer for a run (null when rows is 0): `draw` per step, `loss` inside the step's tape. */
export function makeReplay(
  replay: Replay | undefined,
  task: TaskSettings,
  formats: unknown,
  levels: readonly number[],
) {
  if (!replay || replay.rows === 0) return null;
  const sampler = new FormatSampler(makeTask(task), FormatOptionsSchema.parse(formats ?? {}));
  return {
    draw: (rng: Rng): ReplayRow[] =>
      drawMixBatch(replay.mix, sampler, rng, replay.rows, levels, levels.map(() => 1)),
    /** weight x token-mean cross-entropy of the rows, and the unweighted value (for the metrics). */
    loss: (model: Gpt, rows: readonly ReplayRow[], blockSize: number): { loss: tf.Scalar; ce: number } => {
      const { loss } = groupedLoss(model, groupByFormat(rows), blockSize);
      return { loss: loss.mul(replay.weight) as tf.Scalar, ce: loss.dataSync()[0] };
    },
  };
}
