/**
 * LabError: the one error type for bad input. Its message says what was wrong
 * (the file, line, field, value) and what to do about it; the CLI prints the
 * message alone (no stack) and exits non-zero.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { LabError } from "./errors.ts";
 * const e = new LabError("datasets/x.jsonl line 3: field 'answer' must be a digit", "regenerate with `deno task datasets`");
 * assertEquals(e.message, "datasets/x.jsonl line 3: field 'answer' must be a digit. Fix: regenerate with `deno task datasets`");
 * ```
 */
export class LabError extends Error {
  constructor(what: string, fix?: string) {
    super(fix ? `${what}. Fix: ${fix}` : what);
    this.name = "LabError";
  }
}

/**
 * Run a command's body: a LabError is printed as `error: ...` on stderr and
 * becomes exit code 1; any other error is a bug and propagates with its stack.
 */
export async function exitCodeOf(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof LabError) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
