/**
 * Analysis 1 (DESIGN.md): difficulty-band drift and the harm of over-hard
 * samples under GRPO, behind notebooks/01_difficulty_band_drift.ipynb.
 *
 * Protocol: one start model, SFT on chained `+ -` arithmetic (answers
 * uniform, chance exactly 0.1 at every level) on levels 1-8 from noisy
 * demonstrations, so at the training temperature it errs per step and its
 * pass rate falls with chain length (start.ts); levels 9-10 are measured but
 * untrained (at chance: the over-hard levels). Then GRPO from it under each
 * condition, several seeds each:
 *  - uniform, static_band (fixed from step-0 pass rates), adaptive_band
 *    (p(1 - p), re-estimated online), over_hard (levels near chance only);
 *  - controls for over_hard: + a KL anchor to the start model, and + a little
 *    easy-level data.
 * The start model is the same for every seed (the GRPO seed varies the
 * prompts, samples and measurement draws); `full` scale can be given several
 * start seeds by editing `start.seed` in the notebook. Every run goes through
 * the run cache, so changing one knob recomputes only the runs it touches.
 *
 * Before any verdict, the learning check (learning.ts) asks whether the
 * curricula learned; every null in the findings is gated on it.
 *
 * One module per step of the notebook: params.ts (knobs per scale, the
 * trainer configs), runs.ts (through the cache), start.ts (the start model's
 * table, graded-start check and figure), learning.ts (the learning check),
 * tables.ts (result tables), findings.ts (the generated findings), figures.ts
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
