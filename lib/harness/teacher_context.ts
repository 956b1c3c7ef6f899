/**
 * Teacher contexts as prompts: what a distillation teacher (issue 14) sees
 * when it scores a student's bare-prompt response. Two sources, one format
 * (context.ts), so one base model can read all of them:
 *  - a harness run's blocks (`HarnessResult.teacher`: answer-like or trace);
 *  - the reference, in graded strengths (OPSD's privileged context; DESIGN.md:
 *    a teacher that sees the full solution simply copies it, so offer less):
 *    (for `^3+4-7+5=`)
 *      answer    `[5]`                     the answer only
 *      partial   `[3+4=7]`                 the first half of the scratchpad's steps (at least one)
 *      solution  `[3+4=7;7-7=0;0+5=5>5]`   the full reference completion
 *    Precedent examples have no solution beyond their label: only "answer".
 * `teacherPrompt` fits a block to what the model's block_size leaves after the
 * bare prompt and the response (context.ts `fitBlock`) and places it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { referenceContext, teacherPrompt } from "./teacher_context.ts";
 * const p = { family: "arithmetic" as const, level: 3, prompt: "^3+4-7+5=", target: "3+4=7;7-7=0;0+5=5>5$", answer: "5" };
 * assertEquals(referenceContext(p, "partial"), [["3+4=7"]]);
 * assertEquals(teacherPrompt(p.prompt, referenceContext(p, "answer"), { blockSize: 64, responseLength: 20 }), "^[5]3+4-7+5=");
 * ```
 */
import { LabError } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import { type ArrangementInput, type Block, fitBlock, withContext } from "./context.ts";
import type { Problem } from "./types.ts";

export const REFERENCE_STRENGTHS = ["answer", "partial", "solution"] as const;
export type ReferenceStrength = typeof REFERENCE_STRENGTHS[number];

/** The reference's context block at a strength. */
export function referenceContext(
  problem: Pick<Problem, "family" | "target" | "answer">,
  strength: ReferenceStrength,
): Block {
  if (strength === "answer") return [[problem.answer]];
  if (problem.family !== "arithmetic") {
    throw new LabError(
      `reference strength '${strength}' does not exist for ${problem.family}: its reference is the label alone`,
      "use strength 'answer'",
    );
  }
  const solution = problem.target.replace(/\$$/, "");
  if (strength === "solution") return [[solution]];
  const steps = solution.split(">")[0].split(";");
  return [[steps.slice(0, Math.max(1, Math.floor(steps.length / 2))).join(";")]];
}

export interface TeacherPromptOptions {
  /** The teacher model's block_size. */
  blockSize: number;
  /** Tokens reserved for the response the teacher scores. */
  responseLength: number;
  arrangement?: ArrangementInput;
  rng?: Rng;
}

/** The bare prompt with `block` fitted into what block_size leaves and placed by the arrangement. */
export function teacherPrompt(barePrompt: string, block: Block, opts: TeacherPromptOptions): string {
  const budget = opts.blockSize - barePrompt.length - opts.responseLength;
  return withContext(barePrompt, fitBlock(block, budget), opts.arrangement, opts.rng);
}
