/**
 * Plan-solve for chained arithmetic (DESIGN.md analysis 2; OPHSD's
 * plan-solve harness): a planner call cuts the problem into segments of
 * `segment_length` operations (plan.ts: it writes the sizes, `2|2|1`), then each segment is solved by an
 * ordinary bare call whose first operand is the previous segment's result;
 * the answer is the last segment's result. All problems of a batch advance
 * together: one batched KV-cache `generate` for the plans, then one per
 * segment round.
 *
 * A plan that is not a segmentation of the problem is recorded
 * (`plan_valid: false`) and the problem falls back to one segment: the bare
 * call. A segment call that writes no answer breaks the chain (answer null).
 *
 * Teacher contexts: answer-like = the segment results, one group each
 * (`[5|9|6]`); trace = the segment calls' scratchpads, one group each
 * (`[3+4=7;7-2=5|5+5=0;0-1=9|9+7=6]`). Builder "reference" (training only):
 * each segment starts from the gold checkpoint instead of the previous
 * answer (no error accumulation); the planner needs no reference, since a
 * plan is a segmentation of the problem, not of its solution.
 *
 * Departs from the reference (OPHSD code): its planner writes a free-text
 * plan and one solver call follows it; here the plan is a checkable
 * segmentation and the solver is several short bare calls, because the
 * one-call design made the harness worse than bare in a prototype.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { PlanSolveConfigSchema } from "./plan_solve.ts";
 * assertEquals(PlanSolveConfigSchema.parse({ kind: "plan_solve" }).segment_length, 2);
 * ```
 */
import { z } from "zod";
import { LabError } from "../core/errors.ts";
import { makeProblem, type Op, parseCompletion, parsePrompt } from "../tasks/arithmetic.ts";
import { blockSizeOf, type Call, type CallOptions, type HarnessModel, runCalls } from "./calls.ts";
import { cleanItem } from "./context.ts";
import {
  expressionOf,
  MAX_SEGMENT_LENGTH,
  parsePlan,
  planPrompt,
  segmentOps,
  segmentPrompt,
} from "./plan.ts";
import type { Harness, HarnessResult, HarnessRunOptions, Problem } from "./types.ts";

export const PlanSolveConfigSchema = z.strictObject({
  kind: z.literal("plan_solve"),
  /** Operations per segment call (a knob). */
  segment_length: z.number().int().min(1, {
    message: "segment_length must be at least 1 (operations per segment call); use 1..9",
  }).max(MAX_SEGMENT_LENGTH).default(2),
});
export type PlanSolveConfig = z.output<typeof PlanSolveConfigSchema>;

/** Tokens of a level-L planner call (prompt + plan + EOS) at segment length s. */
export function planCallLength(level: number, s: number): number {
  return 4 + 2 * level + 1 + 1 + 2 * Math.ceil(level / s); // "^&s:" expr "=", sizes with separators, "$"
}

/** Tokens of a bare call of m operations whose answer is written in full (prompt + scratchpad + answer). */
export function segmentCallLength(m: number): number {
  return 2 * m + 3 + 6 * m - 1 + 3;
}

/** Throw (before any call) when a level's planner or segment calls cannot fit block_size. */
export function checkPlanSolveFits(
  config: PlanSolveConfig,
  levels: readonly number[],
  blockSize: number,
): void {
  const top = Math.max(...levels);
  const plan = planCallLength(top, config.segment_length);
  const seg = segmentCallLength(Math.min(top, config.segment_length));
  const need = Math.max(plan, seg);
  if (need - 1 > blockSize) { // the last token is predicted, never fed
    throw new LabError(
      `plan_solve: a level-${top} problem needs ${need} tokens (planner call ${plan}, segment call ${seg}) ` +
        `but the model's block_size is ${blockSize}`,
      `evaluate levels up to ${
        maxPlannableLevel(config.segment_length, blockSize)
      }, or train with a larger block_size`,
    );
  }
}

function maxPlannableLevel(s: number, blockSize: number): number {
  let level = 0;
  while (planCallLength(level + 1, s) - 1 <= blockSize) level++;
  return level;
}

interface Chain {
  /** The plan parsed as a segmentation of the problem (else one segment: the bare call). */
  planValid: boolean;
  segments: string[];
  /** Running value after the last solved segment (null before the first or when broken). */
  value: number | null;
  /** Operations solved so far (for gold checkpoints). */
  opsDone: number;
  broken: boolean;
  results: number[];
  scratchpads: string[];
}

export class PlanSolve implements Harness {
  readonly name = "plan_solve" as const;
  constructor(readonly config: PlanSolveConfig) {}

  run(model: HarnessModel, problems: readonly Problem[], opts: HarnessRunOptions = {}): HarnessResult[] {
    if (problems.length === 0) return [];
    const s = this.config.segment_length;
    checkPlanSolveFits(this.config, problems.map((p) => p.level), blockSizeOf(model));
    const callOpts: CallOptions = { temperature: opts.temperature, rng: opts.rng };
    const reference = (opts.builder ?? "live") === "reference";
    const calls: Call[][] = problems.map(() => []);

    const planCalls = runCalls(
      model,
      "plan",
      problems.map((p) => planPrompt(p.prompt, s)),
      Math.max(...problems.map((p) => planCallLength(p.level, s) - (2 * p.level + 6))) + 2, // plan and EOS, 2 spare
      callOpts,
    );
    const chains: Chain[] = problems.map((p, i) => {
      calls[i].push(planCalls[i]);
      const plan = parsePlan(planCalls[i].completion, p.prompt);
      return {
        planValid: plan.segments !== null,
        segments: plan.segments ?? [expressionOf(p.prompt)],
        value: null,
        opsDone: 0,
        broken: false,
        results: [],
        scratchpads: [],
      };
    });

    const rounds = Math.max(...chains.map((c) => c.segments.length));
    for (let r = 0; r < rounds; r++) {
      const active = chains.map((_, i) => i).filter((i) =>
        !chains[i].broken && r < chains[i].segments.length
      );
      if (active.length === 0) break;
      const prompts = active.map((i) => {
        const c = chains[i];
        const start = r === 0 ? null : reference ? goldValue(problems[i], c.opsDone) : c.value;
        return segmentPrompt(c.segments[r], start);
      });
      const maxOps = Math.max(...active.map((i) => segmentOps(chains[i].segments[r])));
      // One batched call per round; the role only labels the trace.
      const out = runCalls(
        model,
        "segment",
        prompts,
        segmentCallLength(maxOps) - 2 * maxOps - 3 + 2,
        callOpts,
      );
      active.forEach((i, j) => {
        const call = { ...out[j], role: chains[i].planValid ? "segment" : "bare" };
        calls[i].push(call);
        const c = chains[i];
        const parsed = parseCompletion(call.completion);
        const body = call.completion.split("$")[0];
        c.scratchpads.push(cleanItem(body.includes(">") ? body.slice(0, body.indexOf(">")) : body));
        c.opsDone += segmentOps(c.segments[r]);
        if (parsed.answer === null) c.broken = true;
        else {
          c.value = parsed.answer;
          c.results.push(parsed.answer);
        }
      });
    }

    return problems.map((p, i) => {
      const c = chains[i];
      const answer = c.broken || c.value === null ? null : String(c.value);
      return {
        problem: p,
        answer,
        correct: answer !== null && answer === p.answer,
        calls: calls[i],
        teacher: {
          answer_like: c.results.map((v) => [String(v)]),
          trace: c.scratchpads.map((t) => [t]),
        },
        facts: { plan_valid: c.planValid, segments: c.segments.length, broken: c.broken },
      };
    });
  }
}

/** The true running value of a problem after its first `ops` operations. */
export function goldValue(problem: Pick<Problem, "prompt">, ops: number): number {
  const parsed = parsePrompt(problem.prompt);
  if (!parsed) throw new LabError(`not an arithmetic prompt: ${JSON.stringify(problem.prompt)}`);
  const full = makeProblem(parsed.operands, parsed.ops as Op[], true);
  return ops === 0 ? parsed.operands[0] : full.steps[ops - 1];
}
