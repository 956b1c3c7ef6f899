/**
 * The pre-training distribution of the fact family: bare queries mixed with
 * queries that carry a fact sheet, so that reading a sheet is learnable but
 * blind copying is not optimal.
 *
 * Each row: the query key is drawn by Zipf frequency. With probability
 * `1 - p_sheet` the prompt is bare ("^ab="). Otherwise it carries a sheet of
 * `slots` slots: with probability `p_in_sheet` an entry for the query's own
 * key, plus a uniform number (0..max_fillers) of filler entries about other
 * keys drawn uniformly from the table (so the tail is looked up as often as
 * the head); the rest blank. With max_fillers 0 (the default) a sheet is what
 * the retrieving harness shows: the query's entry or nothing. A share `p_novel` of rows instead asks about a novel key
 * (one of the possible keys outside the table) with a random value given only
 * by its sheet entry: pure lookup, which no amount of memorising can replace,
 * so reading the sheet is learned early. Every entry's value is wrong (another digit, uniform) with
 * probability `p_wrong`. The target is always the true value: a model that
 * has memorised a fact should keep it against a wrong entry; one that has not
 * does best by copying.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { FactTable } from "./table.ts";
 * import { drawFactRow, FactMixSchema } from "./mix.ts";
 * import { Rng } from "../../core/rng.ts";
 * const t = FactTable.build({ n_keys: 40 });
 * const row = drawFactRow(t, FactMixSchema.parse({ p_sheet: 0 }), new Rng(0));
 * assertEquals(row.format, "bare");
 * assertEquals(row.target, `${t.value(row.prompt.slice(1, 3))}$`);
 * ```
 */
import { z } from "zod";
import type { Rng } from "../../core/rng.ts";
import type { FactTable } from "./table.ts";
import { type SheetEntry, sheetPrompt } from "./sheet.ts";

export const FactMixSchema = z.strictObject({
  slots: z.number().int().min(1).max(16).default(4),
  p_sheet: z.number().min(0).max(1).default(0.6),
  p_in_sheet: z.number().min(0).max(1).default(0.5),
  p_wrong: z.number().min(0).max(1).default(0.2),
  /** Share of rows about a novel key (off the table) whose only source is its sheet entry. */
  p_novel: z.number().min(0).max(1).default(0.25),
  /** Most entries about other keys on a sheet (0: a sheet holds at most the query's own entry, as the retrieving harness places it). */
  max_fillers: z.number().int().min(0).max(16).default(0),
}).superRefine((m, ctx) => {
  if (m.max_fillers >= m.slots) {
    ctx.addIssue({
      code: "custom",
      path: ["max_fillers"],
      message:
        `max_fillers ${m.max_fillers} leaves no slot for the query's entry (slots ${m.slots}); use at most ${
          m.slots - 1
        }`,
    });
  }
});
export type FactMix = z.output<typeof FactMixSchema>;

export interface FactRow {
  format: "bare" | "sheet";
  prompt: string;
  target: string;
}

/** A digit other than `v`, uniform. */
export function otherDigit(v: string, rng: Rng): string {
  return String((Number(v) + 1 + rng.int(9)) % 10);
}

/** One pre-training row. */
export function drawFactRow(table: FactTable, mix: FactMix, rng: Rng): FactRow {
  if (table.offKeys.length > 0 && rng.float() < mix.p_novel) return novelRow(table, mix, rng);
  const key = table.sampleKey(rng);
  const target = `${table.value(key)}$`;
  if (rng.float() >= mix.p_sheet) return { format: "bare", prompt: `^${key}=`, target };
  const keys = new Set<string>();
  if (rng.float() < mix.p_in_sheet) keys.add(key);
  const filled = keys.size + rng.int(mix.max_fillers + 1);
  while (keys.size < filled) {
    const k = table.keys[rng.int(table.keys.length)];
    if (k !== key) keys.add(k);
  }
  return {
    format: "sheet",
    prompt: arranged(fillerEntries(table, mix, rng, [...keys]), key, mix, rng),
    target,
  };
}

/** Table entries for `keys`, each wrong with probability p_wrong. */
function fillerEntries(table: FactTable, mix: FactMix, rng: Rng, keys: string[]): SheetEntry[] {
  return keys.map((k) => {
    const v = table.value(k);
    return { key: k, value: rng.float() < mix.p_wrong ? otherDigit(v, rng) : v };
  });
}

function arranged(entries: SheetEntry[], key: string, mix: FactMix, rng: Rng): string {
  const placement = (["near", "far", "spread"] as const)[rng.int(3)];
  return sheetPrompt(entries, key, mix.slots, { order: 1 + rng.int(1e6), placement });
}

/** A lookup-only row: a novel key, its random value on the sheet among table fillers. */
function novelRow(table: FactTable, mix: FactMix, rng: Rng): FactRow {
  const key = rng.choice(table.offKeys), value = String(rng.int(10));
  const fillers = new Set<string>();
  const n = rng.int(mix.max_fillers + 1);
  while (fillers.size < n) fillers.add(table.keys[rng.int(table.keys.length)]);
  const entries = [{ key, value }, ...fillerEntries(table, mix, rng, [...fillers])];
  return { format: "sheet", prompt: arranged(entries, key, mix, rng), target: `${value}$` };
}
