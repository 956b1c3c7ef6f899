/**
 * Strict flag parsing for the CLI: unknown flags, missing values and wrong
 * types are LabErrors that name the flag and show the command's usage.
 *
 * Departs from node:util's parseArgs in one place: the token after a string
 * flag is its value even when it starts with a dash (`--temperature -1`,
 * `--prompt -3+4=`), where parseArgs refuses it as "ambiguous". A value that
 * is itself a flag (`--model --prompt x`) is reported as a missing value.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseFlags } from "./args.ts";
 * assertEquals(parseFlags("sample", ["--temperature", "-1"], { string: ["temperature"] }, "u"), {
 *   temperature: "-1",
 * });
 * ```
 */
import { parseArgs } from "node:util";
import { LabError } from "../core/errors.ts";

export interface FlagSpec {
  string?: string[];
  /** Accept positional arguments (returned by parseCommandLine). */
  positionals?: boolean;
  boolean?: string[];
  required?: string[];
  default?: Record<string, string | boolean>;
}

export type Flags = Record<string, string | boolean | undefined>;

/** Parse `argv` for a command; throws LabError naming the bad flag. */
export function parseFlags(command: string, argv: string[], spec: FlagSpec, usage: string): Flags {
  return parseCommandLine(command, argv, spec, usage).flags;
}

/** `--name value` as `--name=value` for string flags, so a value may start with a dash. */
function joinValues(command: string, argv: string[], strings: Set<string>, usage: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.startsWith("--") && !a.includes("=") ? a.slice(2) : undefined;
    if (name === undefined || !strings.has(name) || i + 1 >= argv.length) {
      out.push(a);
      continue;
    }
    const v = argv[++i];
    if (v.startsWith("--")) {
      throw new LabError(
        `${command}: --${name} needs a value, but is followed by the flag ${v}`,
        `usage: ${usage}`,
      );
    }
    out.push(`--${name}=${v}`);
  }
  return out;
}

/** Parse `argv` into flags and (when the spec allows them) positional arguments. */
export function parseCommandLine(
  command: string,
  argv: string[],
  spec: FlagSpec,
  usage: string,
): { flags: Flags; positionals: string[] } {
  const known = new Set([...(spec.string ?? []), ...(spec.boolean ?? [])]);
  const options: Record<string, { type: "string" | "boolean" }> = {};
  for (const s of spec.string ?? []) options[s] = { type: "string" };
  for (const b of spec.boolean ?? []) options[b] = { type: "boolean" };
  let parsed: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    const args = joinValues(command, argv, new Set(spec.string ?? []), usage);
    const r = parseArgs({ args, options, strict: true, allowPositionals: spec.positionals ?? false });
    parsed = r.values as typeof parsed;
    positionals = r.positionals;
  } catch (e) {
    if (e instanceof LabError) throw e;
    throw new LabError(`${command}: ${(e as Error).message.split("\n")[0]}`, `usage: ${usage}`);
  }
  for (const [k, v] of Object.entries(spec.default ?? {})) if (parsed[k] === undefined) parsed[k] = v;
  for (const name of spec.required ?? []) {
    const v = parsed[name];
    if (v === undefined || v === "") throw new LabError(`${command}: missing --${name}`, `usage: ${usage}`);
  }
  const flags: Flags = {};
  for (const k of known) flags[k] = parsed[k] as string | boolean | undefined;
  return { flags, positionals };
}

/** What a numeric flag may hold, and what its value means (for the error). */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  /** Said after the rule, e.g. "0 is greedy". */
  note?: string;
}

/** A flag's value as a number, with an error naming the flag, the value and the rule it broke. */
export function numberFlag(
  command: string,
  name: string,
  value: string | boolean | undefined,
  fallback: number,
  rule: NumberRule = {},
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(n)) {
    throw new LabError(`${command}: --${name} must be a number, got '${value}'`);
  }
  const note = rule.note ? ` (${rule.note})` : "";
  if (rule.integer && !Number.isInteger(n)) {
    throw new LabError(
      `${command}: --${name} must be a whole number, got ${value}`,
      `give e.g. --${name} ${Math.max(rule.min ?? 0, Math.round(n))}`,
    );
  }
  if (rule.min !== undefined && n < rule.min) {
    throw new LabError(
      `${command}: --${name} must be at least ${rule.min}${note}, got ${value}`,
      `give --${name} ${rule.min} or more`,
    );
  }
  return n;
}
