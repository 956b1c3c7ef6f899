/**
 * lib/core: the bottom layer of the lab (DESIGN.md "Architecture"): seeded
 * RNG, LabError, zod config parsing, canonical hashing, atomic writes, lock
 * files, the run cache (the reactive core), backend selection and progress.
 * Nothing here imports from the layers above.
 *
 * Importing this barrel loads TensorFlow.js (through backend.ts); a module that
 * needs only, say, the run cache can import ./run_cache.ts directly.
 *
 * @example
 * ```ts
 * import { canonicalJson, LabError, Rng } from "./mod.ts";
 * canonicalJson({ b: 1, a: 2 }); // '{"a":2,"b":1}'
 * new Rng(1) instanceof Rng; // true
 * new LabError("bad", "fix it").message; // "bad. Fix: fix it"
 * ```
 *
 * @module
 */
export * from "./rng.ts";
export * from "./errors.ts";
export * from "./config.ts";
export * from "./hash.ts";
export * from "./atomic.ts";
export * from "./lock.ts";
export * from "./run_cache.ts";
export * from "./backend.ts";
export * from "./progress.ts";
export * from "./paths.ts";
export * from "./display.ts";
