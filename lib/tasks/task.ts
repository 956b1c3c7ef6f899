/**
 * One interface over the task families (as nanochat's Task): sample an
 * example at a difficulty level, verify a completion, know the sequence
 * lengths. Settings are a zod union discriminated by `family`, so
 * `makeTask(settings)` takes the family from the settings.
 *
 * @example
 * ```ts
 * import { makeTask, TaskSettingsSchema } from "./task.ts";
 * import { Rng } from "../core/rng.ts";
 * const task = makeTask(TaskSettingsSchema.parse({ family: "arithmetic", ops: ["+", "-"] }));
 * const ex = task.sample(new Rng(0), 2); // { prompt: "^d±d±d=", target: "...>d$", answer: "d", ... }
 * task.verify(ex, ex.target); // true
 * ```
 */
import { z } from "zod";
import type { Rng } from "../core/rng.ts";
import * as arith from "./arithmetic.ts";
import * as prec from "./precedent.ts";

export const TaskSettingsSchema = z.discriminatedUnion("family", [
  arith.ArithmeticSettingsSchema.extend({ family: z.literal("arithmetic") }),
  prec.PrecedentSettingsSchema.extend({ family: z.literal("precedent") }),
]);
export type TaskSettings = z.output<typeof TaskSettingsSchema>;
export type Family = TaskSettings["family"];

/** A task example as stored in eval sets: texts plus the answer string. */
export interface Example {
  family: Family;
  level: number;
  prompt: string;
  target: string;
  /** Arithmetic: the answer digit; precedent: the class label. */
  answer: string;
}

export interface Task {
  family: Family;
  settings: TaskSettings;
  levels: number[];
  sample(rng: Rng, level: number): Example;
  /** Does the completion (text after the prompt) give the right answer? */
  verify(example: { answer: string }, completion: string): boolean;
  /** Prompt + target tokens at a level (BOS and EOS included). */
  sequenceLength(level: number): number;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** The task for validated settings. */
export function makeTask(settings: TaskSettings): Task {
  if (settings.family === "arithmetic") {
    return {
      family: "arithmetic",
      settings,
      levels: range(arith.MAX_LEVEL),
      sample: (rng, level) => {
        const p = arith.generateArithmetic(rng, level, settings);
        return { family: "arithmetic", level, prompt: p.prompt, target: p.target, answer: String(p.answer) };
      },
      verify: (ex, completion) => arith.parseCompletion(completion).answer === Number(ex.answer),
      sequenceLength: (level) => arith.sequenceLength(level, settings),
    };
  }
  return {
    family: "precedent",
    settings,
    levels: range(settings.max_level),
    sample: (rng, level) => {
      const e = prec.generatePrecedent(rng, level, settings);
      return { family: "precedent", level, prompt: e.prompt, target: e.target, answer: e.label };
    },
    verify: (ex, completion) => prec.verifyLabel({ label: ex.answer }, completion),
    sequenceLength: () => prec.sequenceLength(settings),
  };
}
