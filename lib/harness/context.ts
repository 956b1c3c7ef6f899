/**
 * One context format for every harness call and every teacher context: a bare
 * prompt with an optional context block, `^[BLOCK]body=` (block before the
 * prompt's body) or `^body[BLOCK]=` (after the body, before its final cue
 * character). A block is groups of items: items joined by ",", groups by "|":
 *
 *   plan-solve trace      ^[3+4=7;7-2=5|5+5=0;0-1=9|9+7=6]3+4-2+5-1+7=
 *   draft (5 precedents)  ^[aeimbfC,aeimbgC,aeimbfC,aeinbfD,aeimbfC]aeimbf?
 *   verify                ^[aeimbfC,aeimbfC|aeimbgD,afimbgD]aeimbf?C!
 *
 * The reserved markers of lib/tasks/tokenizer.ts delimit it, so a block can
 * always be parsed back (`splitContext`). Items may not contain the
 * delimiters.
 *
 * Budget: `fitBlock` drops items until the block's token length (brackets and
 * separators included) is within a budget. Items are given in priority order
 * (most important first in each group); the group holding the most items loses
 * its last item first (ties: the later group), so every group keeps what it
 * can. A block that cannot fit even empty is dropped (null).
 *
 * Arrangement (DESIGN.md: tiny models are very sensitive to context order and
 * position): `order` permutes the kept items inside each group ("as_given",
 * "reversed", or "shuffled" with a seeded generator) and `position` places the
 * block before the body or after it. Priority decides what survives the
 * budget; order decides where it stands.
 *
 * The reference (OPHSD code) writes its harness contexts as free-text chat
 * prompts; a character-level model needs one fixed, parseable grammar instead,
 * shared by harness calls, teacher contexts (issue 14) and fact sheets (issue 16).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { blockText, fitBlock, splitContext, withContext } from "./context.ts";
 * const block = fitBlock([["aeimbfC", "aeimbgC"], ["afimbgD"]], 17)!; // 25 tokens: the longer group loses one
 * assertEquals(blockText(block), "[aeimbfC|afimbgD]");
 * assertEquals(withContext("^aeimbf?", block), "^[aeimbfC|afimbgD]aeimbf?");
 * assertEquals(withContext("^aeimbf?", block, { position: "after" }), "^aeimbf[aeimbfC|afimbgD]?");
 * assertEquals(splitContext("^[5|9]3+4=").bare, "^3+4=");
 * ```
 */
import { z } from "zod";
import type { Rng } from "../core/rng.ts";
import { LabError } from "../core/errors.ts";

/** Groups of items; a group may be empty. */
export type Block = string[][];

/** Characters an item may not contain: the block's own delimiters and the sequence markers. */
export const FORBIDDEN_IN_ITEMS = "[]|,^$_";

export const ArrangementSchema = z.strictObject({
  /** Order of the kept items inside each group. */
  order: z.enum(["as_given", "reversed", "shuffled"]).default("as_given"),
  /** Block before the prompt's body, or after it (before the final cue character). */
  position: z.enum(["before", "after"]).default("before"),
});
export type Arrangement = z.output<typeof ArrangementSchema>;
export type ArrangementInput = z.input<typeof ArrangementSchema>;

/** Throws a LabError when an item holds a delimiter (it could not be parsed back). */
export function checkItem(item: string, where = "context item"): string {
  for (const ch of item) {
    if (FORBIDDEN_IN_ITEMS.includes(ch)) {
      throw new LabError(
        `${where} ${JSON.stringify(item)} contains ${JSON.stringify(ch)}, a context delimiter`,
        `items may not contain any of ${JSON.stringify(FORBIDDEN_IN_ITEMS)}; use cleanItem() on model output`,
      );
    }
  }
  return item;
}

/** Remove delimiter characters (for model-written text that goes into a block). */
export function cleanItem(text: string): string {
  return [...text].filter((ch) => !FORBIDDEN_IN_ITEMS.includes(ch)).join("");
}

/** The block as text: "[" + groups (items joined by ",") joined by "|" + "]". */
export function blockText(block: Block): string {
  block.forEach((g) => g.forEach((item) => checkItem(item)));
  return `[${block.map((g) => g.join(",")).join("|")}]`;
}

/** Tokens of a block's text (one token per character). */
export function blockLength(block: Block): number {
  let n = 2 + Math.max(0, block.length - 1); // brackets and group separators
  for (const g of block) n += g.reduce((a, item) => a + item.length, 0) + Math.max(0, g.length - 1);
  return n;
}

/**
 * Keep the highest-priority items that fit `budget` tokens (see the module
 * header for the rule); null when not even the empty block fits.
 */
export function fitBlock(block: Block, budget: number): Block | null {
  const kept = block.map((g) => [...g]);
  if (blockLength(kept.map(() => [])) > budget) return null;
  while (blockLength(kept) > budget) {
    let longest = 0;
    kept.forEach((g, i) => {
      if (g.length >= kept[longest].length) longest = i;
    });
    kept[longest].pop();
  }
  return kept;
}

/** Apply an arrangement's order to each group (a new block). `rng` is needed for "shuffled". */
export function orderBlock(block: Block, order: Arrangement["order"], rng?: Rng): Block {
  if (order === "as_given") return block.map((g) => [...g]);
  if (order === "reversed") return block.map((g) => [...g].reverse());
  if (!rng) throw new LabError("orderBlock: order 'shuffled' needs a seeded rng", "pass { rng }");
  return block.map((g) => rng.shuffle([...g]));
}

/**
 * The prompt with `block` inserted (after the BOS "^", or before the prompt's
 * final cue character), its items ordered by `arrangement.order`.
 */
export function withContext(
  barePrompt: string,
  block: Block | null,
  arrangement: ArrangementInput = {},
  rng?: Rng,
): string {
  if (!barePrompt.startsWith("^") || barePrompt.length < 2) {
    throw new LabError(
      `withContext: prompt ${JSON.stringify(barePrompt)} must start with "^" and have a body`,
    );
  }
  if (barePrompt.includes("[")) {
    throw new LabError(`withContext: prompt ${JSON.stringify(barePrompt)} already holds a context block`);
  }
  if (block === null) return barePrompt;
  const a = ArrangementSchema.parse(arrangement);
  const text = blockText(orderBlock(block, a.order, rng));
  return a.position === "before"
    ? `^${text}${barePrompt.slice(1)}`
    : `${barePrompt.slice(0, -1)}${text}${barePrompt.slice(-1)}`;
}

/** A prompt split into its bare form and its block (null when it has none). */
export function splitContext(prompt: string): { bare: string; block: Block | null } {
  const open = prompt.indexOf("["), close = prompt.indexOf("]");
  if (open < 0 && close < 0) return { bare: prompt, block: null };
  if (open < 0 || close < open || prompt.indexOf("[", open + 1) >= 0 || prompt.indexOf("]", close + 1) >= 0) {
    throw new LabError(`splitContext: ${JSON.stringify(prompt)} does not hold exactly one [block]`);
  }
  const inner = prompt.slice(open + 1, close);
  const block = inner.split("|").map((g) => (g === "" ? [] : g.split(",")));
  return { bare: prompt.slice(0, open) + prompt.slice(close + 1), block };
}
