/**
 * What a completion shows beyond right or wrong: the raw facts behind the
 * shortcut indicators of DESIGN.md analysis 1 (answer repetition, skipped or
 * detached computation, copying). Each task family computes them for its own
 * format (`Task.facts`); families without a scratchpad report only the answer
 * and well-formedness.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { NO_SCRATCHPAD } from "./completion_facts.ts";
 * assertEquals(NO_SCRATCHPAD, { validScratchpad: false, stepShare: 0, copiesLastOperand: false, stepAccuracy: 0 });
 * ```
 */

export interface CompletionFacts {
  /** The final answer as written, or null when none could be parsed. */
  answer: string | null;
  wellFormed: boolean;
  /** A correct, complete derivation that the answer repeats; false for families without a scratchpad. */
  validScratchpad: boolean;
  /** Written steps / expected steps; 0 for families without a scratchpad. */
  stepShare: number;
  /** The answer equals the prompt's last operand (a copying shortcut); false where there is none. */
  copiesLastOperand: boolean;
  /**
   * Share of the expected steps written and locally right (restates the problem's operation, carries
   * the previous written result, computes it right): 1 - the per-step error; 0 without a scratchpad.
   */
  stepAccuracy: number;
}

/** The scratchpad facts of a family that writes no scratchpad. */
export const NO_SCRATCHPAD = {
  validScratchpad: false,
  stepShare: 0,
  copiesLastOperand: false,
  stepAccuracy: 0,
} as const;
