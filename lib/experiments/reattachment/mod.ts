/**
 * Analysis 2 (DESIGN.md): harness reattachment, behind
 * notebooks/02_harness_reattachment.ipynb. This folder holds its first
 * sections (issue 13): the base models and the gate.
 *
 * Protocol: for each task family one base model per seed, SFT on a mix of
 * bare and harness formats (lib/harness/formats.ts), so "bare" and "harness"
 * are both meaningful modes of one model: chained `+ -` arithmetic with
 * plan-solve, precedent classification with draft-verify (its harness
 * formats drawn from other worlds, its bare share small, so the bank knows
 * what the weights only partly do). Each base model is evaluated on the
 * frozen eval set in every mode of its harness (bare; plan-solve; draft-verify
 * with a fresh and with the warm training bank), and the gate checks, paired
 * per problem with intervals over seeds, that each harness mode beats bare on
 * the levels where bare is weak. Distillation (issue 14) lives in distill/
 * (OPSD, OPHSD, the baselines, reattachment, the checks before its verdicts).
 *
 * params.ts (knobs per scale, the trainer and harness configs), runs.ts
 * (base models and evaluations through the cache), tables.ts, findings.ts,
 * figures.ts, traces.ts (example traces as text).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { FAMILIES, reattachmentParams } from "./mod.ts";
 * assertEquals([...FAMILIES], ["arithmetic", "precedent"]);
 * assertEquals(reattachmentParams("default").seeds.length >= 2, true);
 * ```
 *
 * @module
 */
export * from "./params.ts";
export * from "./runs.ts";
export * from "./tables.ts";
export * from "./findings.ts";
export * from "./figures.ts";
export * from "./traces.ts";
export * from "./distill/mod.ts";
