/**
 * Strict flag parsing for the CLI: unknown flags, missing values and wrong
 * types are LabErrors that name the flag and show the command's usage.
 */
import { parseArgs } from "node:util";
import { LabError } from "../core/errors.ts";

export interface FlagSpec {
  string?: string[];
  boolean?: string[];
  required?: string[];
  default?: Record<string, string | boolean>;
}

export type Flags = Record<string, string | boolean | undefined>;

/** Parse `argv` for a command; throws LabError naming the bad flag. */
export function parseFlags(command: string, argv: string[], spec: FlagSpec, usage: string): Flags {
  const known = new Set([...(spec.string ?? []), ...(spec.boolean ?? [])]);
  const options: Record<string, { type: "string" | "boolean" }> = {};
  for (const s of spec.string ?? []) options[s] = { type: "string" };
  for (const b of spec.boolean ?? []) options[b] = { type: "boolean" };
  let parsed: Record<string, string | boolean | undefined>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false })
      .values as typeof parsed;
  } catch (e) {
    throw new LabError(`${command}: ${(e as Error).message.split("\n")[0]}`, `usage: ${usage}`);
  }
  for (const [k, v] of Object.entries(spec.default ?? {})) if (parsed[k] === undefined) parsed[k] = v;
  for (const name of spec.required ?? []) {
    const v = parsed[name];
    if (v === undefined || v === "") throw new LabError(`${command}: missing --${name}`, `usage: ${usage}`);
  }
  const out: Flags = {};
  for (const k of known) out[k] = parsed[k] as string | boolean | undefined;
  return out;
}

/** A flag's value as a number, with an error naming the flag. */
export function numberFlag(
  command: string,
  name: string,
  value: string | boolean | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(n)) {
    throw new LabError(`${command}: --${name} must be a number, got '${value}'`);
  }
  return n;
}
