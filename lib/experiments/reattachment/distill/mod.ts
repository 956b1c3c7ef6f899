/**
 * Analysis 2, its distillation sections (issue 14): OPSD and OPHSD beside the
 * baselines (base, SFT on reference solutions, GRPO) on chained arithmetic
 * with plan-solve, every method evaluated bare and with the harness
 * reattached, with format retention, the power check, the live-harness
 * feedback signals and the per-token teacher-vs-student signal.
 *
 * params.ts (methods as diffs over the trainers' configs), runs.ts (start
 * models, trained methods, evaluations through the cache), tables.ts,
 * findings.ts, figures.ts, signal.ts (the per-token comparison); the
 * precedent family's section: precedent.ts, precedent_retention.ts,
 * precedent_findings.ts.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { distillParams } from "./mod.ts";
 * assertEquals(distillParams("smoke").seeds.length >= 2, true);
 * ```
 *
 * @module
 */
export * from "./params.ts";
export * from "./runs.ts";
export * from "./tables.ts";
export * from "./findings.ts";
export * from "./figures.ts";
export * from "./signal.ts";
export * from "./cases.ts";
export * from "./precedent.ts";
export * from "./precedent_findings.ts";
export * from "./precedent_retention.ts";
