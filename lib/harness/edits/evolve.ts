/**
 * An evolver writes a fact sheet from its own failures on a development split
 * (DESIGN.md, analysis 3; Lin et al. 2026, where a model edits its harness
 * after seeing where it failed). The verifier (the fact table) is the external
 * anchor: an entry is kept only when it accepts the value, except under the
 * `own` rule, which is the unverified control.
 *
 * Rules (the knob the prototype found decides whether writing looks flat):
 *  - `failures`: for each dev key the evolver answered wrong (dev order), it
 *    proposes its next guesses (ranks 2..`tries`); the first one the verifier
 *    accepts becomes an entry. A key it cannot recover is not written. Stops
 *    at the budget, so a strong evolver with few failures writes little.
 *  - `padded`: the failures' entries, then the dev keys it answered right (its
 *    own verified answers), up to the budget.
 *  - `own`: its greedy answers on its least confident dev keys, up to the
 *    budget, with no verifier: entries may be wrong.
 *
 * Departs from Lin et al.: the evolver edits only a fact sheet (their edits
 * are free-form prompt and tool changes), and its "retries" are its ranked
 * digits rather than sampled rewrites.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { sheetEntries } from "./evolve.ts";
 * const ranked = [
 *   { key: "ab", truth: "1", digits: ["1", "2"], confidence: 0.9 },
 *   { key: "cd", truth: "5", digits: ["3", "5"], confidence: 0.4 },
 * ];
 * assertEquals(sheetEntries(ranked, "failures", 4, 2), [{ key: "cd", value: "5" }]);
 * assertEquals(sheetEntries(ranked, "padded", 4, 2).length, 2);
 * assertEquals(sheetEntries(ranked, "own", 1, 2), [{ key: "cd", value: "3" }]);
 * ```
 */
import type { Gpt } from "../../model/gpt.ts";
import { rankFacts } from "../../sample/fact_answers.ts";
import type { FactTable } from "../../tasks/facts/table.ts";
import type { SheetEntry } from "../../tasks/facts/sheet.ts";
import { type FactSheet, factSheet, type WritingRule } from "./fact_sheet.ts";

/** The evolver's ranked answer on one dev key, beside the truth the verifier holds. */
export interface RankedKey {
  key: string;
  truth: string;
  digits: string[];
  confidence: number;
}

/** The entries a rule writes from ranked dev answers (pure: the verifier is `truth`). */
export function sheetEntries(
  ranked: readonly RankedKey[],
  rule: WritingRule,
  slots: number,
  tries: number,
): SheetEntry[] {
  if (rule === "own") {
    return [...ranked].sort((a, b) => a.confidence - b.confidence || (a.key < b.key ? -1 : 1)).slice(0, slots)
      .map((r) => ({ key: r.key, value: r.digits[0] }));
  }
  const recovered = ranked.filter((r) => r.digits[0] !== r.truth)
    .filter((r) => r.digits.slice(1, tries).includes(r.truth))
    .map((r) => ({ key: r.key, value: r.truth }));
  const known = rule === "padded"
    ? ranked.filter((r) => r.digits[0] === r.truth).map((r) => ({ key: r.key, value: r.truth }))
    : [];
  return [...recovered, ...known].slice(0, slots);
}

/** Run the evolver on the dev keys (bare queries) and write its sheet. */
export function evolveSheet(
  model: Gpt,
  table: FactTable,
  devKeys: readonly string[],
  o: { rule: WritingRule; slots: number; tries: number; evolver: string; seed: number },
): FactSheet {
  const ranks = rankFacts(model, devKeys.map((k) => table.query(k).prompt));
  const ranked = devKeys.map((key, i) => ({ key, truth: table.value(key), ...ranks[i] }));
  return factSheet({ ...o, entries: sheetEntries(ranked, o.rule, o.slots, o.tries) });
}
