/**
 * Example JSONL files (datasets/*.jsonl): one example per line,
 * `{"id","family","level","prompt","target","answer"}` in that key order,
 * validated line by line: schema (zod strict), tokenisation, and the family's
 * rules (an arithmetic target must be the one its prompt implies; a precedent
 * prompt uses each slot's own letters and its target is the answer + "$").
 * A bad line is a LabError naming the file, the line number and the field, and
 * what to do (regenerate the set). Written atomically (tmp file + rename).
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { parseJsonl } from "./dataset.ts";
 * const line = '{"id":"x-1","family":"arithmetic","level":1,"prompt":"^3+4=","target":"3+4=7>7$","answer":"7"}';
 * assertEquals(parseJsonl(line + "\n", "x.jsonl")[0].answer, "7");
 * const bad = line.replace('"level":1', '"level":"x"');
 * assertThrows(() => parseJsonl(bad, "x.jsonl"), Error, "x.jsonl line 1: field 'level'");
 * ```
 */
import { z } from "zod";
import { LabError } from "../core/errors.ts";
import { formatIssues } from "../core/config.ts";
import { writeFileAtomic } from "../core/atomic.ts";
import { encode } from "./tokenizer.ts";
import { makeProblem, MAX_LEVEL, parsePrompt as parseArithmeticPrompt } from "./arithmetic.ts";
import { MAX_PRECEDENT_LEVEL, parsePrompt as parsePrecedentPrompt } from "./precedent.ts";
import type { Example } from "./task.ts";

export const ExampleLineSchema = z.strictObject({
  id: z.string().min(1),
  family: z.enum(["arithmetic", "precedent"]),
  level: z.number().int().min(1),
  prompt: z.string().min(2),
  target: z.string().min(2),
  answer: z.string().min(1),
});
export type ExampleLine = z.output<typeof ExampleLineSchema>;

const FIX = "regenerate the file with `scripts/deno task datasets` (never edit eval sets by hand)";

/** Family-specific consistency: returns [field, problem] or null. */
function semanticError(ex: ExampleLine): [string, string] | null {
  try {
    encode(ex.prompt);
  } catch (e) {
    return ["prompt", (e as Error).message.split(". Fix")[0]];
  }
  try {
    encode(ex.target);
  } catch (e) {
    return ["target", (e as Error).message.split(". Fix")[0]];
  }
  if (ex.family === "arithmetic") {
    if (ex.level > MAX_LEVEL) return ["level", `expected 1..${MAX_LEVEL} (got ${ex.level})`];
    const parsed = parseArithmeticPrompt(ex.prompt);
    if (!parsed) return ["prompt", `expected "^a op b ... =" (got ${JSON.stringify(ex.prompt)})`];
    const { operands, ops } = parsed;
    if (ops.length !== ex.level) {
      return ["level", `prompt has ${ops.length} operations but level is ${ex.level}`];
    }
    const scratch = ex.target.indexOf(">") > 0;
    const p = makeProblem(operands, ops, scratch);
    if (p.target !== ex.target) {
      return [
        "target",
        `expected ${JSON.stringify(p.target)} for this prompt (got ${JSON.stringify(ex.target)})`,
      ];
    }
    if (String(p.answer) !== ex.answer) {
      return ["answer", `expected "${p.answer}" (got ${JSON.stringify(ex.answer)})`];
    }
  } else {
    if (ex.level > MAX_PRECEDENT_LEVEL) {
      return ["level", `expected 1..${MAX_PRECEDENT_LEVEL} (got ${ex.level})`];
    }
    if (!parsePrecedentPrompt(ex.prompt)) {
      return [
        "prompt",
        `expected "^" + one letter per slot (slot s: letters 4s..4s+3 mod 16 of a-p) + "?" (got ${
          JSON.stringify(ex.prompt)
        })`,
      ];
    }
    if (ex.target !== `${ex.answer}$` || !/^[A-H]$/.test(ex.answer)) {
      return ["target", `expected label + "$" matching answer ${JSON.stringify(ex.answer)}`];
    }
  }
  return null;
}

/** Parse JSONL text; `where` names the file in errors. */
export function parseJsonl(text: string, where: string): ExampleLine[] {
  const out: ExampleLine[] = [];
  const ids = new Set<string>();
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((line, i) => {
    const at = `${where} line ${i + 1}`;
    if (line.trim() === "") throw new LabError(`${at}: blank line`, FIX);
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new LabError(`${at}: not valid JSON (${(e as Error).message})`, FIX);
    }
    const res = ExampleLineSchema.safeParse(raw);
    if (!res.success) {
      // One line per file line: "f.jsonl line 3: field 'level': ... (got "x"); field 'answer': ..."
      const issues = formatIssues(ExampleLineSchema, raw, res.error.issues).split("\n").map((l) =>
        l.slice(2)
      );
      throw new LabError(`${at}: ${issues.join("; ")}`, FIX);
    }
    const bad = semanticError(res.data);
    if (bad) throw new LabError(`${at}: field '${bad[0]}': ${bad[1]}`, FIX);
    if (ids.has(res.data.id)) {
      throw new LabError(`${at}: field 'id': duplicate id ${JSON.stringify(res.data.id)}`, FIX);
    }
    ids.add(res.data.id);
    out.push(res.data);
  });
  return out;
}

/** Read and validate a JSONL file of examples. */
export async function readJsonl(path: string): Promise<ExampleLine[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new LabError(`cannot read ${path}: ${(e as Error).message}`, FIX);
  }
  return parseJsonl(text, path);
}

/** JSONL text of examples (keys in schema order, one per line). */
export function toJsonl(examples: (Example & { id: string })[]): string {
  return examples.map((e) =>
    JSON.stringify({
      id: e.id,
      family: e.family,
      level: e.level,
      prompt: e.prompt,
      target: e.target,
      answer: e.answer,
    })
  ).join("\n") + "\n";
}

/** Write examples as JSONL atomically. */
export async function writeJsonl(path: string, examples: (Example & { id: string })[]): Promise<void> {
  await writeFileAtomic(path, toJsonl(examples));
}
