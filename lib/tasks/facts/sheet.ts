/**
 * The fact sheet in a prompt: a fixed number of slots in brackets before the
 * query, each slot either an entry "ab=7" (the same shape as a query and its
 * answer) or a blank "##=#". A sheet always has `slots` slots, so every prompt
 * of one sheet size has the same length and the initial (empty) harness and an
 * evolved one differ only in what the slots hold.
 *
 *   "^[##=#,ab=7,cd=3,##=#]ab="  →  "7$"
 *
 * The text is a one-group block of lib/harness/context.ts's grammar (`^[items]body=`);
 * it is built here because lib/tasks sits below lib/harness, and a test in
 * lib/harness/edits checks that the two agree.
 *
 * An arrangement fixes where the entries sit (`order`: a seed for their
 * permutation, and which slots they fill: `near` = the slots closest to the
 * query, `far` = the first slots, `spread` = evenly spaced). Tiny models are
 * sensitive to both, so every harness is scored over several arrangements.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { sheetPrompt } from "./sheet.ts";
 * const p = sheetPrompt([{ key: "ab", value: "7" }], "ab", 3, { order: 0, placement: "near" });
 * assertEquals(p, "^[##=#,##=#,ab=7]ab=");
 * ```
 */
import { Rng } from "../../core/rng.ts";

export interface SheetEntry {
  key: string;
  value: string;
}

export type Placement = "near" | "far" | "spread";

export interface Arrangement {
  /** Seed of the entries' permutation (0 keeps the given order). */
  order: number;
  placement: Placement;
}

export const BLANK_SLOT = "##=#";

/** Tokens a sheet of `slots` slots takes (brackets and commas included). */
export function sheetTokens(slots: number): number {
  return slots === 0 ? 0 : 2 + slots * BLANK_SLOT.length + (slots - 1);
}

/** Slot indices the entries fill under a placement. */
export function slotIndices(n: number, slots: number, placement: Placement): number[] {
  if (n > slots) throw new Error(`${n} entries do not fit ${slots} slots`);
  if (placement === "far") return Array.from({ length: n }, (_, i) => i);
  if (placement === "near") return Array.from({ length: n }, (_, i) => slots - n + i);
  return Array.from({ length: n }, (_, i) => Math.floor((i + 0.5) * slots / n));
}

/** The sheet's text (no BOS, no query) with entries arranged. */
export function sheetText(entries: readonly SheetEntry[], slots: number, arr: Arrangement): string {
  if (slots === 0) return "";
  const ordered = arr.order === 0
    ? [...entries]
    : new Rng(arr.order).fork("sheet/order").shuffle([...entries]);
  const cells = Array.from({ length: slots }, () => BLANK_SLOT);
  slotIndices(ordered.length, slots, arr.placement).forEach((s, i) => {
    cells[s] = `${ordered[i].key}=${ordered[i].value}`;
  });
  return `[${cells.join(",")}]`;
}

/** The full prompt: BOS, the sheet, the query. */
export function sheetPrompt(
  entries: readonly SheetEntry[],
  key: string,
  slots: number,
  arr: Arrangement,
): string {
  return `^${sheetText(entries, slots, arr)}${key}=`;
}

/**
 * Token positions [start, end) of the sheet entry for `key` in a prompt built
 * by sheetPrompt (the slot "ab=7"), or null when no slot holds that key.
 */
export function entrySpan(prompt: string, key: string): { start: number; end: number } | null {
  if (!prompt.startsWith("^[")) return null;
  const close = prompt.indexOf("]");
  if (close < 0) return null;
  const cells = prompt.slice(2, close).split(",");
  const i = cells.findIndex((c) => c.startsWith(`${key}=`));
  if (i < 0) return null;
  const start = 2 + cells.slice(0, i).reduce((a, c) => a + c.length + 1, 0);
  return { start, end: start + cells[i].length };
}
