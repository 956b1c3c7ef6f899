/**
 * The plan of plan-solve: a chained arithmetic problem split into segments of
 * a few operations. The planner call sees the problem and the segment length
 * s and copies the operations with a "|" after every s of them:
 *
 *   planner prompt  ^3+4-2+5-1+7&2
 *   plan            3+4-2|+5-1|+7$
 *
 * Each segment is then solved by an ordinary bare call whose first operand is
 * the previous segment's result: ^3+4-2= -> 5, ^5+5-1= -> 9, ^9+7= -> 6.
 *
 * Why this plan (DESIGN.md, prototype lessons): a plan that asks the model to
 * do the hard part in one step (a checkpoint value after two operations) made
 * the harness worse than bare; a plan that only copies with separators is
 * cheap to write, checkable against the problem, and turns a long chain into
 * short calls the model is good at. The reference (OPHSD code) lets its
 * planner write free text; here a plan must be a segmentation of the
 * problem's own operations (any segment lengths), or it is rejected.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { goldPlan, parsePlan, planPrompt, segmentPrompt } from "./plan.ts";
 * assertEquals(planPrompt("^3+4-2+5-1+7=", 2), "^3+4-2+5-1+7&2");
 * assertEquals(goldPlan("^3+4-2+5-1+7=", 2), "3+4-2|+5-1|+7");
 * assertEquals(parsePlan("3+4-2|+5-1|+7$", "^3+4-2+5-1+7=").segments, ["3+4-2", "+5-1", "+7"]);
 * assertEquals(parsePlan("3+4|+5-1|+7$", "^3+4-2+5-1+7=").reason, "the plan's operations differ from the problem's");
 * assertEquals(segmentPrompt("+5-1", 5), "^5+5-1=");
 * ```
 */
import { LabError } from "../core/errors.ts";

export const PLAN_MARKER = "&";
export const SEGMENT_SEPARATOR = "|";
/** Segment lengths a plan prompt can name (one digit). */
export const MAX_SEGMENT_LENGTH = 9;

/** The expression of a bare arithmetic prompt ("^3+4-2=" -> "3+4-2"). */
export function expressionOf(prompt: string): string {
  const m = /^\^([0-9](?:[-+*][0-9])+)=$/.exec(prompt);
  if (!m) throw new LabError(`not a bare arithmetic prompt: ${JSON.stringify(prompt)}`, 'expected "^3+4-2="');
  return m[1];
}

/** Check a segment length (1..9); errors name the value and the fix. */
export function checkSegmentLength(s: number): number {
  if (!Number.isInteger(s) || s < 1 || s > MAX_SEGMENT_LENGTH) {
    throw new LabError(
      `segment length ${s} is not allowed`,
      `use an integer from 1 to ${MAX_SEGMENT_LENGTH} (operations per segment call)`,
    );
  }
  return s;
}

/** The planner's prompt: the expression, the plan marker and the segment length. */
export function planPrompt(barePrompt: string, segmentLength: number): string {
  return `^${expressionOf(barePrompt)}${PLAN_MARKER}${checkSegmentLength(segmentLength)}`;
}

/** The correct plan (without EOS): a separator after every `segmentLength` operations. */
export function goldPlan(barePrompt: string, segmentLength: number): string {
  const expr = expressionOf(barePrompt);
  checkSegmentLength(segmentLength);
  let out = expr[0];
  for (let op = 0; 2 * op + 1 < expr.length; op++) {
    if (op > 0 && op % segmentLength === 0) out += SEGMENT_SEPARATOR;
    out += expr.slice(2 * op + 1, 2 * op + 3);
  }
  return out;
}

export interface ParsedPlan {
  /** The segments ("3+4-2", "+5-1", "+7"), or null when the plan is not a segmentation of the problem. */
  segments: string[] | null;
  /** Why it was rejected. */
  reason?: string;
}

/** Parse a planner completion (text after the first "$" ignored) against the problem it plans. */
export function parsePlan(completion: string, barePrompt: string): ParsedPlan {
  const eos = completion.indexOf("$");
  if (eos < 0) return { segments: null, reason: "the plan does not end (no EOS)" };
  const segments = completion.slice(0, eos).split(SEGMENT_SEPARATOR);
  const first = /^[0-9](?:[-+*][0-9])+$/, later = /^(?:[-+*][0-9])+$/;
  if (!segments.every((s, i) => (i === 0 ? first : later).test(s))) {
    return { segments: null, reason: "a segment is not a run of operations" };
  }
  if (segments.join("") !== expressionOf(barePrompt)) {
    return { segments: null, reason: "the plan's operations differ from the problem's" };
  }
  return { segments };
}

/** Operations in a segment ("+5-1" -> 2, "3+4-2" -> 2). */
export function segmentOps(segment: string): number {
  return [...segment].filter((c) => "+-*".includes(c)).length;
}

/** The bare call of a segment: its own first operand for the first one, else the running value `start`. */
export function segmentPrompt(segment: string, start: number | null): string {
  return start === null ? `^${segment}=` : `^${start}${segment}=`;
}
