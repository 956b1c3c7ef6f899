/**
 * What every harness shares: a harness turns (model, problems) into results
 * that hold the trace (every call: prompt, completion, per-token log-probs),
 * the answer, and the teacher contexts it built, in two kinds:
 *  - "answer_like": the harness's intermediate results and final answer only
 *    (plan-solve: the segment results; draft-verify: the draft and final label);
 *  - "trace": its full step-by-step trace (plan-solve: the segment calls'
 *    scratchpads; draft-verify: confirmers, challengers, draft and verdict).
 * Each is built by one of two builders:
 *  - "live": everything by the current model (evaluation always uses this);
 *  - "reference": during training only, the harness's intermediate results
 *    come from the reference (plan-solve: each segment starts from the gold
 *    checkpoint; draft-verify: the verify call checks the gold label), while
 *    every call is still written live by the model.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BUILDERS, TEACHER_KINDS } from "./types.ts";
 * assertEquals([...TEACHER_KINDS, ...BUILDERS], ["answer_like", "trace", "live", "reference"]);
 * ```
 */
import type { Example } from "../tasks/task.ts";
import type { Block } from "./context.ts";
import type { Call, CallOptions, HarnessModel } from "./calls.ts";
import type { MemoryBank, Retriever } from "./memory_bank.ts";

export const TEACHER_KINDS = ["answer_like", "trace"] as const;
export type TeacherKind = typeof TEACHER_KINDS[number];

export const BUILDERS = ["live", "reference"] as const;
export type Builder = typeof BUILDERS[number];

export const HARNESS_NAMES = ["plan_solve", "draft_verify"] as const;
export type HarnessName = typeof HARNESS_NAMES[number];

/** A problem as the harness sees it (a task example, optionally with an id). */
export type Problem = Example & { id?: string };

export interface HarnessResult {
  problem: Problem;
  /** The harness's final answer (digit or label), null when it produced none. */
  answer: string | null;
  correct: boolean;
  /** Every model call, in order. */
  calls: Call[];
  /** The teacher contexts this run built, as context blocks (context.ts). */
  teacher: Record<TeacherKind, Block>;
  /** What happened (e.g. plan_valid, segments, zero_shot, revised). */
  facts: Record<string, number | boolean>;
}

export interface HarnessRunOptions extends CallOptions {
  builder?: Builder;
  /** Draft-verify: the bank to retrieve from (required there). */
  bank?: MemoryBank;
  /** Draft-verify: how to retrieve (default from the harness config). */
  retriever?: Retriever;
}

export interface Harness {
  readonly name: HarnessName;
  /** Run a batch of problems; calls of a round are batched through the KV-cache sampler. */
  run(model: HarnessModel, problems: readonly Problem[], opts?: HarnessRunOptions): HarnessResult[];
  /** Harnesses with a bank: the retriever their config asks for, for `model` (dispose it after). */
  retrieverFor?(model: HarnessModel): Retriever;
}
