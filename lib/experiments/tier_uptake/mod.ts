/**
 * Analysis 3 behind notebooks/03_tier_uptake.ipynb: tier-dependent uptake of
 * self-written harness edits (Lin et al. 2026, arXiv 2605.30621, "Harness
 * Updating Is Not Harness Benefit": writing useful edits is flat across tiers,
 * using them an inverted U over base ability).
 *
 * Task: fact recall over a long-tailed key→value table (lib/tasks/facts); the
 * harness context is a fact sheet of a few slots; an edit is a sheet an
 * evolver writes from its failures on a dev split, kept when the verifier
 * accepts it, saved as JSON (lib/harness/edits). Two ladders of tiers on the
 * same data: training budget at a fixed architecture (snapshots of one run)
 * and size at one budget (lib/train/facts/pretrain.ts).
 *
 * params.ts (knobs per scale), runs.ts (the ladders, through the cache),
 * measure.ts (both matrices in full and the uptake probe, cached), tables.ts,
 * attention.ts (attention mass on the sheet, from the probe),
 * findings.ts (checks, shapes and the verdict, generated), figures.ts.
 *
 * Departs from the paper: tiny transformers trained here rather than released
 * LLMs (several training seeds per tier, intervals over them), edits are fact
 * sheets only, and attention mass is read on the stock tfjs path of a
 * diagnostic forward pass.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { tierUptakeParams } from "./mod.ts";
 * assertEquals(tierUptakeParams("default").rules, ["failures", "padded", "own"]);
 * ```
 *
 * @module
 */
export * from "./params.ts";
export * from "./runs.ts";
export * from "./measure.ts";
export * from "./tables.ts";
export * from "./attention.ts";
export * from "./findings.ts";
export * from "./figures.ts";
