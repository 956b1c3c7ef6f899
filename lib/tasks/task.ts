/**
 * One interface over the task families (as nanochat's Task): sample an
 * example at a difficulty level, verify a completion, reward it, say what it
 * shows beyond right or wrong (its facts), know each level's exact chance and
 * the sequence lengths. Settings are a zod union discriminated by `family`, so
 * `makeTask(settings)` takes the family from the settings. Trainers and
 * measurements ask the task; they never branch on the family.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { makeTask, TaskSettingsSchema } from "./task.ts";
 * import { Rng } from "../core/rng.ts";
 * const task = makeTask(TaskSettingsSchema.parse({ family: "arithmetic", ops: ["+", "-"] }));
 * const ex = task.sample(new Rng(0), 2); // prompt "^d±d±d=", target "d±d=d;d±d=d>d$"
 * assertEquals(task.verify(ex, ex.target), true);
 * assertEquals(task.reward(ex, ex.target, 0.1), 1.1); // right and well formed
 * assertEquals(task.facts(ex, ex.target).validScratchpad, true);
 * assertEquals(task.chance(2).toFixed(6), "0.100000"); // + and - give uniform answers
 * ```
 */
import { z } from "zod";
import type { Rng } from "../core/rng.ts";
import * as arith from "./arithmetic.ts";
import * as prec from "./precedent.ts";
import type { CompletionFacts } from "./completion_facts.ts";

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
  /** Verifiable reward: 1 for the right answer, plus `formatWeight` (default 0) for a well-formed completion. */
  reward(example: Pick<Example, "prompt" | "answer">, completion: string, formatWeight?: number): number;
  /** What the completion shows beyond right or wrong (completion_facts.ts). */
  facts(example: Pick<Example, "prompt">, completion: string): CompletionFacts;
  /** Exact chance accuracy at a level: the pass rate of the best constant answer. */
  chance(level: number): number;
  /** Prompt + target tokens at a level (BOS and EOS included). */
  sequenceLength(level: number): number;
}

type FamilyParts = Omit<Task, "reward">;

/** The reward every family shares, from its own verifier and facts. */
function withReward(t: FamilyParts): Task {
  return {
    ...t,
    reward: (ex, completion, formatWeight = 0) =>
      (t.verify(ex, completion) ? 1 : 0) + (t.facts(ex, completion).wellFormed ? formatWeight : 0),
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** The task for validated settings. */
export function makeTask(settings: TaskSettings): Task {
  if (settings.family === "arithmetic") {
    return withReward({
      family: "arithmetic",
      settings,
      levels: range(arith.MAX_LEVEL),
      sample: (rng, level) => {
        const p = arith.generateArithmetic(rng, level, settings);
        return { family: "arithmetic", level, prompt: p.prompt, target: p.target, answer: String(p.answer) };
      },
      verify: (ex, completion) => arith.parseCompletion(completion).answer === Number(ex.answer),
      facts: (ex, completion) => arith.arithmeticFacts(ex.prompt, completion),
      chance: (level) => arith.chanceLevel(level, settings).constantGuess,
      sequenceLength: (level) => arith.sequenceLength(level, settings),
    });
  }
  return withReward({
    family: "precedent",
    settings,
    levels: range(settings.max_level),
    sample: (rng, level) => {
      const e = prec.generatePrecedent(rng, level, settings);
      return { family: "precedent", level, prompt: e.prompt, target: e.target, answer: e.label };
    },
    verify: (ex, completion) => prec.verifyLabel({ label: ex.answer }, completion),
    facts: (_ex, completion) => prec.labelFacts(completion),
    chance: () => 1 / settings.classes, // classes are uniform
    sequenceLength: () => prec.sequenceLength(settings),
  });
}
