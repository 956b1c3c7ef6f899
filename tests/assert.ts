/**
 * Assertions for the tests, with the signatures of Deno's @std/assert (which
 * lives on JSR, a registry these machines cannot reach). Mapped as "@std/assert"
 * in deno.json. Built on node:assert's deep equality.
 */
import nodeAssert from "node:assert/strict";

export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new AssertionError(msg);
}

export function assertEquals<T>(actual: unknown, expected: T, msg?: string): void {
  try {
    nodeAssert.deepStrictEqual(actual, expected);
  } catch (e) {
    throw new AssertionError(`${msg ? msg + ": " : ""}${(e as Error).message}`);
  }
}

export function assertNotEquals(actual: unknown, expected: unknown, msg?: string): void {
  try {
    nodeAssert.notDeepStrictEqual(actual, expected);
  } catch (e) {
    throw new AssertionError(`${msg ? msg + ": " : ""}${(e as Error).message}`);
  }
}

export function assertStrictEquals<T>(actual: unknown, expected: T, msg?: string): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${msg ? msg + ": " : ""}expected ${String(expected)}, got ${String(actual)}`);
  }
}

export function assertAlmostEquals(actual: number, expected: number, tolerance = 1e-7, msg?: string): void {
  if (Object.is(actual, expected)) return;
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new AssertionError(
      `${msg ? msg + ": " : ""}expected ${actual} to be close to ${expected} (tolerance ${tolerance}, diff ${
        Math.abs(actual - expected)
      })`,
    );
  }
}

export function assertGreater(actual: number, expected: number, msg?: string): void {
  if (!(actual > expected)) throw new AssertionError(msg ?? `expected ${actual} > ${expected}`);
}

export function assertLess(actual: number, expected: number, msg?: string): void {
  if (!(actual < expected)) throw new AssertionError(msg ?? `expected ${actual} < ${expected}`);
}

export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  if (!actual.includes(expected)) {
    throw new AssertionError(
      msg ?? `expected string to include ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    );
  }
}

export function assertMatch(actual: string, re: RegExp, msg?: string): void {
  if (!re.test(actual)) throw new AssertionError(msg ?? `expected ${JSON.stringify(actual)} to match ${re}`);
}

type ErrorClass = abstract new (...args: never[]) => Error;

function checkError(e: unknown, cls?: ErrorClass, includes?: string): Error {
  if (!(e instanceof Error)) throw new AssertionError(`expected an Error to be thrown, got ${String(e)}`);
  const err: Error = e;
  if (cls && !(err instanceof cls)) {
    throw new AssertionError(`expected error of type ${cls.name}, got ${String(e)}`);
  }
  if (includes && !e.message.includes(includes)) {
    throw new AssertionError(
      `expected error message to include ${JSON.stringify(includes)}, got ${JSON.stringify(e.message)}`,
    );
  }
  return e;
}

export function assertThrows(fn: () => unknown, cls?: ErrorClass, includes?: string): Error {
  try {
    fn();
  } catch (e) {
    return checkError(e, cls, includes);
  }
  throw new AssertionError("expected function to throw");
}

export async function assertRejects(
  fn: () => Promise<unknown>,
  cls?: ErrorClass,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return checkError(e, cls, includes);
  }
  throw new AssertionError("expected promise to reject");
}

export function fail(msg = "failed"): never {
  throw new AssertionError(msg);
}
