/**
 * The fact family's frozen eval set: datasets/facts/facts_eval.jsonl, bare
 * queries drawn uniformly inside each frequency band of the default world
 * (`FACTS_EVAL`), with its SHA-256 in datasets/facts/facts_eval.sha256. Kept
 * beside, not inside, datasets/settings.json, whose sets are the Task families
 * (the fact family is not one: its harness context is a sheet, not a format).
 * Both ladders' base pass rates are measured on it.
 *
 *   deno run -A lib/tasks/facts/eval_set.ts           regenerate the set and checksum
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { FACTS_EVAL, generateFactsEval } from "./eval_set.ts";
 * assertEquals(generateFactsEval().length, FACTS_EVAL.per_level * FACTS_EVAL.table.bands);
 * ```
 */
import { LabError } from "../../core/errors.ts";
import { sha256Hex } from "../../core/hash.ts";
import { writeFileAtomic } from "../../core/atomic.ts";
import { Rng } from "../../core/rng.ts";
import { type FactQuery, FactSettingsSchema, FactTable } from "./table.ts";

export const FACTS_DIR = new URL("../../../datasets/facts/", import.meta.url).pathname;

/** The frozen set's generator settings (changing them means regenerating the files). */
export const FACTS_EVAL = {
  table: FactSettingsSchema.parse({}),
  per_level: 100,
  seed: 1004,
} as const;

/** The set's queries, deterministic. */
export function generateFactsEval(): FactQuery[] {
  const table = FactTable.build(FACTS_EVAL.table);
  const root = new Rng(FACTS_EVAL.seed);
  return Array.from({ length: FACTS_EVAL.table.bands }, (_, b) => {
    const rng = root.fork(`facts_eval/L${b + 1}`);
    return Array.from({ length: FACTS_EVAL.per_level }, () => table.sampleBand(rng, b + 1));
  }).flat();
}

/** Chance on the set: the share of its queries whose answer is the most common one (the best constant guess). */
export function constantGuessRate(queries: readonly FactQuery[]): number {
  const counts = new Map<string, number>();
  for (const q of queries) counts.set(q.answer, (counts.get(q.answer) ?? 0) + 1);
  return Math.max(...counts.values()) / queries.length;
}

const toText = (qs: FactQuery[]) => qs.map((q) => JSON.stringify(q)).join("\n") + "\n";

/** Load the set, verifying its checksum (LabError naming the file when it differs). */
export async function loadFactsEval(dir = FACTS_DIR): Promise<{ queries: FactQuery[]; sha256: string }> {
  const path = `${dir}/facts_eval.jsonl`;
  const fix = "regenerate with `deno run -A lib/tasks/facts/eval_set.ts`";
  let text: string, want: string;
  try {
    text = await Deno.readTextFile(path);
    want = (await Deno.readTextFile(`${dir}/facts_eval.sha256`)).trim().split(/\s+/)[0];
  } catch (e) {
    throw new LabError(`cannot read the fact eval set in ${dir}: ${(e as Error).message}`, fix);
  }
  const sha256 = await sha256Hex(text);
  if (sha256 !== want) {
    throw new LabError(`${path}: sha256 ${sha256} does not match facts_eval.sha256 (${want})`, fix);
  }
  return { queries: text.trim().split("\n").map((l) => JSON.parse(l) as FactQuery), sha256 };
}

if (import.meta.main) {
  const text = toText(generateFactsEval());
  await writeFileAtomic(`${FACTS_DIR}/facts_eval.jsonl`, text);
  await writeFileAtomic(`${FACTS_DIR}/facts_eval.sha256`, `${await sha256Hex(text)}  facts_eval.jsonl\n`);
  console.log(`wrote ${FACTS_DIR}facts_eval.jsonl`);
}
