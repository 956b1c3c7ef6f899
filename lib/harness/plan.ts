/**
 * The plan of plan-solve: a chained arithmetic problem cut into segments of a
 * few operations. The planner call sees the problem and the segment length s
 * and writes how many operations each segment takes:
 *
 *   planner prompt  ^&2:3+4-2+5-1+7=
 *   plan            2|2|1$            (segments 3+4-2, +5-1, +7)
 *
 * Each segment is then solved by an ordinary bare call whose first operand is
 * the previous segment's result: ^3+4-2= -> 5, ^5+5-1= -> 9, ^9+7= -> 6.
 *
 * Why this plan (DESIGN.md, prototype lessons): a plan that asks the model to
 * do the hard part in one step (a checkpoint value after two operations) made
 * the harness worse than bare; this one is cheap to write (count the
 * operations, cut every s), checkable against the problem (the sizes must add
 * up to its operations), and turns a long chain into short calls the model is
 * good at. A first version copied the operations with a separator every s of
 * them (`3+4-2|+5-1|+7`); on learned positions a 2-layer model wrote a valid
 * copy for only 17-63% of 3-4 operation chains after 1000 steps (copying at a
 * length-dependent offset is slow to learn), so the plan carries only the cut.
 * The reference (OPHSD code) lets its planner write free text; here a plan
 * must be a segmentation of the problem (any sizes), or it is rejected.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { goldPlan, parsePlan, planPrompt, segmentPrompt } from "./plan.ts";
 * assertEquals(planPrompt("^3+4-2+5-1+7=", 2), "^&2:3+4-2+5-1+7=");
 * assertEquals(goldPlan("^3+4-2+5-1+7=", 2), "2|2|1");
 * assertEquals(parsePlan("2|2|1$", "^3+4-2+5-1+7=").segments, ["3+4-2", "+5-1", "+7"]);
 * assertEquals(parsePlan("2|2$", "^3+4-2+5-1+7=").reason, "the sizes add up to 4 operations, the problem has 5");
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

/**
 * The planner's prompt: the plan marker and the segment length first, then the
 * bare prompt's body. The marker leads so that every position after it knows
 * this is a plan call: with it at the end, a learned-position model trained on
 * bare and plan calls learned both far more slowly (the same expression at the
 * same positions asked for two different continuations until the last token).
 */
export function planPrompt(barePrompt: string, segmentLength: number): string {
  return `^${PLAN_MARKER}${checkSegmentLength(segmentLength)}:${expressionOf(barePrompt)}=`;
}

/** The bare prompt a planner prompt plans ("^&2:3+4-2=" -> "^3+4-2="). */
export function plannedPrompt(planPromptText: string): string {
  const m = /^\^&[1-9]:(.*)$/.exec(planPromptText);
  if (!m) {
    throw new LabError(`not a planner prompt: ${JSON.stringify(planPromptText)}`, 'expected "^&2:3+4-2="');
  }
  return `^${m[1]}`;
}

/** Operations of a bare arithmetic prompt. */
function operations(barePrompt: string): number {
  return (expressionOf(barePrompt).length - 1) / 2;
}

/** The correct plan (without EOS): segment sizes, s each but the last. */
export function goldPlan(barePrompt: string, segmentLength: number): string {
  const ops = operations(barePrompt);
  checkSegmentLength(segmentLength);
  const sizes: number[] = [];
  for (let done = 0; done < ops; done += segmentLength) sizes.push(Math.min(segmentLength, ops - done));
  return sizes.join(SEGMENT_SEPARATOR);
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
  const parts = completion.slice(0, eos).split(SEGMENT_SEPARATOR);
  if (!parts.every((p) => /^[1-9]$/.test(p))) {
    return { segments: null, reason: "a segment size is not a digit 1-9" };
  }
  const sizes = parts.map(Number), total = sizes.reduce((a, b) => a + b, 0);
  const expr = expressionOf(barePrompt), ops = operations(barePrompt);
  if (total !== ops) {
    return { segments: null, reason: `the sizes add up to ${total} operations, the problem has ${ops}` };
  }
  let at = 0;
  const segments = sizes.map((n, i) => {
    const from = i === 0 ? 0 : 1 + 2 * at;
    at += n;
    return expr.slice(from, 1 + 2 * at);
  });
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
