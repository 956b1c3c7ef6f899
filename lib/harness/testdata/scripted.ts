/**
 * A scripted call model for harness tests: answers each prompt with a
 * function of the prompt (an oracle, or hand-written mistakes), and records
 * every batch it was asked, so tests see exactly which calls a harness made.
 */
import type { Call, CallModel, CallOptions } from "../calls.ts";
import { makeProblem, type Op, parsePrompt } from "../../tasks/arithmetic.ts";
import { goldPlan, plannedPrompt } from "../plan.ts";

export class ScriptedModel implements CallModel {
  readonly batches: { role: string; prompts: string[] }[] = [];
  constructor(readonly blockSize: number, readonly answer: (role: string, prompt: string) => string) {}

  call(role: string, prompts: readonly string[], _max: number, _opts: CallOptions): Call[] {
    this.batches.push({ role, prompts: [...prompts] });
    return prompts.map((prompt) => {
      const completion = this.answer(role, prompt);
      return { role, prompt, completion, logProbs: [...completion].map(() => -0.1) };
    });
  }
}

/** The right completion of a bare arithmetic prompt ("^3+4=" -> "3+4=7>7$"). */
export function solveArithmetic(prompt: string): string {
  const p = parsePrompt(prompt);
  if (!p) throw new Error(`not an arithmetic prompt: ${prompt}`);
  return makeProblem(p.operands, p.ops as Op[], true).target;
}

/** An oracle for plan-solve: gold plans (segment length from the prompt) and right segment answers. */
export function arithmeticOracle(role: string, prompt: string): string {
  if (role === "plan") return goldPlan(plannedPrompt(prompt), Number(prompt[2])) + "$";
  return solveArithmetic(prompt);
}
