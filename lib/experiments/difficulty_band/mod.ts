/**
 * Analysis 1 (DESIGN.md): difficulty-band drift and the harm of over-hard
 * samples under GRPO, behind notebooks/01_difficulty_band_drift.ipynb.
 *
 * Protocol: one start model, SFT on chained `+ -` arithmetic (answers
 * uniform, chance exactly 0.1 at every level; level weights are a knob, equal
 * by default), rotary positions and stopped early so its pass rate declines
 * gradually with level and is at chance beyond its longest trained length;
 * then GRPO from it under each condition, several seeds each:
 *  - uniform, static_band (fixed from step-0 pass rates), adaptive_band
 *    (p(1 - p), re-estimated online), over_hard (levels near chance only);
 *  - controls for over_hard: + a KL anchor to the start model, and + a little
 *    easy-level data.
 * The start model is the same for every seed (the GRPO seed varies the
 * prompts, samples and measurement draws); `full` scale can be given several
 * start seeds by editing `start.seed` in the notebook. Every run goes through
 * the run cache, so changing one knob recomputes only the runs it touches.
 *
 * One module per step of the notebook: params.ts (knobs per scale, the
 * trainer configs), runs.ts (through the cache), tables.ts (result tables),
 * findings.ts (the generated findings and the graded-start check), figures.ts
 * (the saved figures).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { bandParams, CONDITIONS } from "./mod.ts";
 * assertEquals(bandParams("default").conditions, [...CONDITIONS]);
 * ```
 *
 * @module
 */
export * from "./params.ts";
export * from "./runs.ts";
export * from "./tables.ts";
export * from "./start.ts";
export * from "./learning.ts";
export * from "./findings.ts";
export * from "./figures.ts";
