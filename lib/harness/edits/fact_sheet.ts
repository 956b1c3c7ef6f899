/**
 * A harness edit as data: a fact sheet (verified facts an evolver wrote from
 * its failures) saved as JSON, never code, so edits are inspectable and
 * diffable (`git diff`, `jq`). One file per (evolver, writing rule, seed):
 *
 *   {"kind":"fact-sheet","version":1,"vocab":"_^$0123…","budget_tokens":21,
 *    "evolver":"steps-400","rule":"failures","seed":3,
 *    "entries":[{"key":"ab","value":"7"}, …]}
 *
 * `vocab` is the tokenizer's vocabulary the sheet was written for; a sheet of
 * another tokenizer, an entry with characters outside it, a malformed file or
 * one over its token budget is a LabError naming the file and the field.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { factSheet, parseFactSheet } from "./fact_sheet.ts";
 * const s = factSheet({ evolver: "steps-400", rule: "failures", seed: 0, slots: 4, entries: [{ key: "ab", value: "7" }] });
 * assertEquals(parseFactSheet(JSON.parse(JSON.stringify(s)), "x.json").entries.length, 1);
 * assertThrows(() => parseFactSheet({ ...s, budget_tokens: 3 }, "x.json"), Error, "x.json: entries");
 * ```
 */
import { z } from "zod";
import { LabError } from "../../core/errors.ts";
import { parseConfig, readJsonFile } from "../../core/config.ts";
import { writeFileAtomic } from "../../core/atomic.ts";
import { VOCAB } from "../../tasks/tokenizer.ts";
import { KEY_CHARS } from "../../tasks/facts/table.ts";
import { type SheetEntry, sheetTokens } from "../../tasks/facts/sheet.ts";

export const WRITING_RULES = ["failures", "padded", "own"] as const;
export type WritingRule = typeof WRITING_RULES[number];

const EntrySchema = z.strictObject({
  key: z.string().regex(new RegExp(`^[${KEY_CHARS}]{2}$`), `a key is two characters of "${KEY_CHARS}"`),
  value: z.string().regex(/^[0-9]$/, "a value is one digit"),
});

export const FactSheetSchema = z.strictObject({
  kind: z.literal("fact-sheet"),
  version: z.literal(1),
  vocab: z.string(),
  budget_tokens: z.number().int().min(0),
  evolver: z.string().min(1),
  rule: z.enum(WRITING_RULES),
  seed: z.number().int().min(0),
  entries: z.array(EntrySchema),
});
export type FactSheet = z.output<typeof FactSheetSchema>;

/** Tokens the entries take inside a sheet (brackets and commas included). */
export function entryTokens(entries: readonly SheetEntry[]): number {
  if (entries.length === 0) return 0;
  return 2 + entries.reduce((a, e) => a + e.key.length + 1 + e.value.length, 0) + entries.length - 1;
}

/** A sheet for the lab's tokenizer with a budget of `slots` slots. */
export function factSheet(
  o: { evolver: string; rule: WritingRule; seed: number; slots: number; entries: SheetEntry[] },
): FactSheet {
  return {
    kind: "fact-sheet",
    version: 1,
    vocab: VOCAB,
    budget_tokens: sheetTokens(o.slots),
    evolver: o.evolver,
    rule: o.rule,
    seed: o.seed,
    entries: o.entries,
  };
}

/** Validate a parsed sheet; `where` (the file) prefixes every error. */
export function parseFactSheet(input: unknown, where: string): FactSheet {
  const s = parseConfig(FactSheetSchema, input, where);
  if (s.vocab !== VOCAB) {
    throw new LabError(
      `${where}: vocab was written for another tokenizer (${
        JSON.stringify(s.vocab.slice(0, 24))
      }…, ${s.vocab.length} tokens; this lab has ${VOCAB.length})`,
      "rewrite the sheet with this lab's evolver, or translate its entries to this vocabulary",
    );
  }
  const used = entryTokens(s.entries);
  if (used > s.budget_tokens) {
    throw new LabError(
      `${where}: entries take ${used} tokens, over budget_tokens ${s.budget_tokens}`,
      "drop entries until they fit the budget",
    );
  }
  const keys = new Set<string>();
  s.entries.forEach((e, i) => {
    if (keys.has(e.key)) {
      throw new LabError(
        `${where}: entries[${i}].key ${JSON.stringify(e.key)} is repeated`,
        "keep one entry per key",
      );
    }
    keys.add(e.key);
  });
  return s;
}

/** Write a sheet as pretty JSON (one entry a line diffs well). */
export async function saveFactSheet(path: string, sheet: FactSheet): Promise<void> {
  const { entries, ...head } = sheet;
  const lines = entries.map((e) => `    ${JSON.stringify(e)}`).join(",\n");
  const text = JSON.stringify(head, null, 2).replace(/\n}$/, `,\n  "entries": [\n${lines}\n  ]\n}\n`);
  await writeFileAtomic(path, text);
}

/** Read and validate a sheet file (LabError naming the file and field). */
export async function loadFactSheet(path: string): Promise<FactSheet> {
  return parseFactSheet(await readJsonFile(path), path);
}
