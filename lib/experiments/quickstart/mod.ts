/**
 * The quickstart experiment behind notebooks/00_quickstart.ipynb: SFT of a
 * small transformer on chained modular arithmetic (`+ -`, answers uniform, so
 * chance is exactly 0.1 at every level), several seeds trained in parallel
 * worker processes, then greedy exact match per difficulty level on the
 * frozen eval set, inside and beyond the trained range. Every run goes through
 * the run cache, so re-executing the notebook after changing one knob
 * recomputes only the runs whose config changed (e.g. adding a seed computes
 * that seed alone).
 *
 * params.ts (knobs per scale, the SFT configs), runs.ts (through the cache),
 * tables.ts (arquero tables), findings.ts (the findings text, generated from
 * the tables), figures.ts (the saved figure).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { quickstartParams, sftConfigFor } from "./mod.ts";
 * const p = quickstartParams("smoke");
 * assertEquals(sftConfigFor(p, p.seeds[0]).steps, p.steps);
 * ```
 *
 * @module
 */
export * from "./params.ts";
export * from "./runs.ts";
export * from "./tables.ts";
export * from "./findings.ts";
export * from "./figures.ts";
