/**
 * A harness by config: a zod union discriminated by `kind` ("plan_solve",
 * "draft_verify"), validated at the boundary with errors that name the field,
 * the value and the fix; `makeHarness` builds it. Each harness serves one task
 * family.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { harnessConfigFor, makeHarness } from "./config.ts";
 * assertEquals(makeHarness(harnessConfigFor("plan_solve")).name, "plan_solve");
 * assertThrows(() => harnessConfigFor("chain_of_thought"), Error, "unknown harness 'chain_of_thought'");
 * ```
 */
import { z } from "zod";
import { parseConfig } from "../core/config.ts";
import { LabError } from "../core/errors.ts";
import type { Family } from "../tasks/task.ts";
import { DraftVerify, DraftVerifyConfigSchema } from "./draft_verify.ts";
import { PlanSolve, PlanSolveConfigSchema } from "./plan_solve.ts";
import { type Harness, HARNESS_NAMES, type HarnessName } from "./types.ts";

export const HarnessConfigSchema = z.discriminatedUnion("kind", [
  PlanSolveConfigSchema,
  DraftVerifyConfigSchema,
]);
export type HarnessConfig = z.output<typeof HarnessConfigSchema>;
export type HarnessConfigInput = z.input<typeof HarnessConfigSchema>;

/** The task family each harness serves. */
export const HARNESS_FAMILY: Record<HarnessName, Family> = {
  plan_solve: "arithmetic",
  draft_verify: "precedent",
};

/** Validate a harness config (LabError naming each bad field). */
export function parseHarnessConfig(input: unknown, where = "harness config"): HarnessConfig {
  return parseConfig(HarnessConfigSchema, input, where);
}

/** The default config of a harness named on a command line (LabError for an unknown name). */
export function harnessConfigFor(name: string, overrides: Record<string, unknown> = {}): HarnessConfig {
  if (!(HARNESS_NAMES as readonly string[]).includes(name)) {
    throw new LabError(`unknown harness '${name}'`, `use one of ${HARNESS_NAMES.join(", ")}`);
  }
  return parseHarnessConfig({ kind: name, ...overrides }, `harness ${name}`);
}

/** The harness a validated config describes. */
export function makeHarness(config: HarnessConfig): Harness {
  return config.kind === "plan_solve" ? new PlanSolve(config) : new DraftVerify(config);
}
