/**
 * Validating configs at the boundary. Every schema in lib/ is a zod strict
 * object with defaults; `parseConfig` turns zod's issues into one LabError
 * whose lines name the field path, what was wrong, the value given, and the fix.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { z } from "zod";
 * import { parseConfig } from "./config.ts";
 * const Schema = z.strictObject({ lr: z.number().positive().default(1e-3) });
 * assertEquals(parseConfig(Schema, {}, "train config").lr, 0.001);
 * const e = assertThrows(() => parseConfig(Schema, { lr: "x", lrr: 1 }, "train config"));
 * assertEquals((e as Error).message.split("\n"), [
 *   "train config is invalid:",
 *   "- field 'lr': Invalid input: expected number, received string (got \"x\")",
 *   "- unknown field 'lrr' (allowed: lr). Fix: correct or remove the fields listed above (see the schema's defaults in lib/)",
 * ]);
 * ```
 */
import { z } from "zod";
import { LabError } from "./errors.ts";

function pathName(path: PropertyKey[]): string {
  return path.length === 0 ? "(top level)" : path.map(String).join(".");
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function allowedKeys(schema: z.ZodType, path: PropertyKey[]): string[] {
  // Walk the schema along the path to list the keys an object there may have.
  let s: unknown = schema;
  for (const k of path) {
    s = unwrap(s);
    const shape = (s as { shape?: Record<string, unknown> }).shape;
    if (shape && typeof k === "string" && k in shape) s = shape[k];
    else {
      const el = (s as { element?: unknown }).element;
      if (el && typeof k === "number") s = el;
      else return [];
    }
  }
  const shape = (unwrap(s) as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function unwrap(s: unknown): unknown {
  let cur = s as { unwrap?: () => unknown; def?: { innerType?: unknown; type?: string } };
  for (let i = 0; i < 8; i++) {
    if (cur?.def?.innerType) cur = cur.def.innerType as typeof cur;
    else break;
  }
  return cur;
}

/** Format zod issues as a readable multi-line message. */
export function formatIssues(schema: z.ZodType, input: unknown, issues: z.core.$ZodIssue[]): string {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeys(schema, issue.path);
      for (const key of issue.keys) {
        const where = pathName([...issue.path, key]);
        lines.push(`- unknown field '${where}'${allowed.length ? ` (allowed: ${allowed.join(", ")})` : ""}`);
      }
      continue;
    }
    const got = valueAt(input, issue.path);
    const shown = got === undefined ? "missing" : JSON.stringify(got)?.slice(0, 80);
    lines.push(`- field '${pathName(issue.path)}': ${issue.message} (got ${shown})`);
  }
  return lines.join("\n");
}

/**
 * Parse `input` with `schema`; on failure throw a LabError naming every bad
 * field. `where` names the source ("configs/sft.json", "model config").
 */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const res = schema.safeParse(input);
  if (res.success) return res.data;
  throw new LabError(
    `${where} is invalid:\n${formatIssues(schema, input, res.error.issues)}`,
    "correct or remove the fields listed above (see the schema's defaults in lib/)",
  );
}

/** Read and parse a JSON file, with errors naming the file. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new LabError(`file not found: ${path}`, "check the path");
    throw new LabError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LabError(`${path} is not valid JSON: ${(e as Error).message}`, "fix the JSON syntax");
  }
}

/** Read a JSON file and validate it with `schema`. */
export async function loadConfigFile<S extends z.ZodType>(schema: S, path: string): Promise<z.output<S>> {
  return parseConfig(schema, await readJsonFile(path), path);
}
