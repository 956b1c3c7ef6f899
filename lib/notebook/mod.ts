/**
 * lib/notebook: what notebooks use besides the experiments themselves: the
 * scale knob, rich output with a terminal fallback, tables, the live training
 * view (progress + loss updated in place), and the log of cached vs computed
 * runs.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseScale, RunLog } from "./mod.ts";
 * assertEquals(parseScale("smoke"), "smoke");
 * assertEquals(new RunLog().summary(), "0 runs: 0 cached, 0 computed");
 * ```
 *
 * @module
 */
export * from "./scale.ts";
export * from "./jupyter.ts";
export * from "./table.ts";
export * from "./live_training.ts";
export * from "./run_log.ts";
