/**
 * What a completion says beyond right or wrong, for the shortcut indicators of
 * DESIGN.md analysis 1: its final answer, whether it is well formed, whether
 * its arithmetic scratchpad is a valid derivation (every step restates the
 * problem's operation, carries the previous result and computes it right, and
 * the answer repeats the last step), how many steps it wrote, and whether the
 * answer copies the problem's last operand. Families without a scratchpad
 * report only the answer and well-formedness.
 *
 * @example
 * ```ts
 * import { completionFacts } from "./completion_facts.ts";
 * const f = completionFacts({ family: "arithmetic", level: 2, prompt: "^3+4-2=", target: "", answer: "5" }, "3+4=7;7-2=5>5$");
 * [f.answer, f.validScratchpad, f.stepShare]; // ["5", true, 1]
 * ```
 */
import { checkScratchpad, makeProblem, parseCompletion, parsePrompt } from "../../tasks/arithmetic.ts";
import type { Example } from "../../tasks/task.ts";

export interface CompletionFacts {
  /** The final answer as written, or null when none could be parsed. */
  answer: string | null;
  wellFormed: boolean;
  /** A correct, complete derivation (arithmetic); false for other families. */
  validScratchpad: boolean;
  /** Written steps / expected steps (arithmetic); 0 for other families. */
  stepShare: number;
  /** Answer equals the prompt's last operand (arithmetic). */
  copiesLastOperand: boolean;
}

/** Facts about `completion` (text after the prompt) for `example`. */
export function completionFacts(example: Example, completion: string): CompletionFacts {
  if (example.family === "arithmetic") {
    const parsed = parsePrompt(example.prompt);
    const p = parseCompletion(completion);
    if (!parsed) {
      return {
        answer: p.answer === null ? null : String(p.answer),
        wellFormed: p.wellFormed,
        validScratchpad: false,
        stepShare: 0,
        copiesLastOperand: false,
      };
    }
    const problem = makeProblem(parsed.operands, parsed.ops, true);
    const c = checkScratchpad(problem, completion);
    return {
      answer: p.answer === null ? null : String(p.answer),
      wellFormed: c.wellFormed,
      validScratchpad: c.allCorrect && c.answerMatchesLastStep,
      stepShare: c.writtenSteps / c.expectedSteps,
      copiesLastOperand: c.copiesLastOperand,
    };
  }
  const eos = completion.indexOf("$");
  const body = eos >= 0 ? completion.slice(0, eos) : completion;
  return {
    answer: body || null,
    wellFormed: eos > 0,
    validScratchpad: false,
    stepShare: 0,
    copiesLastOperand: false,
  };
}

/** Shannon entropy (bits) of the answers given across different problems; null answers count as one symbol. */
export function answerEntropy(answers: readonly (string | null)[]): number {
  const counts = new Map<string, number>();
  for (const a of answers) counts.set(a ?? "\u0000none", (counts.get(a ?? "\u0000none") ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / answers.length;
    h -= p * Math.log2(p);
  }
  return h === 0 ? 0 : h; // no -0
}

/** Share of answers equal to the most frequent one (1 = one constant answer). */
export function modalShare(answers: readonly (string | null)[]): number {
  const counts = new Map<string, number>();
  for (const a of answers) counts.set(a ?? "\u0000none", (counts.get(a ?? "\u0000none") ?? 0) + 1);
  return answers.length ? Math.max(...counts.values()) / answers.length : 0;
}
