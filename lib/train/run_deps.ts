/**
 * Which other run-cache entries a stored run was computed from, read from its
 * stored config alone (no trainer runs, no eval set loads): a GRPO or
 * distillation run trains from the final model of the SFT run its `start`
 * config names. `runs export`
 * packs these too, so a collaborator who changes a GRPO knob after importing
 * does not retrain the start model.
 *
 * The stored GRPO config is `grpoRunSpec`'s: the parsed GRPO config plus the
 * SFT trainer version (`sft_version`) and the eval set's checksum
 * (`eval_set_sha256`), which is exactly what `sftRunSpec` adds to the start
 * config; run_deps_test.ts checks that the two stay in step.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { runDependencies } from "./run_deps.ts";
 * assertEquals(runDependencies("sft", { seed: 0 }), []);
 * ```
 */
import { LabError } from "../core/errors.ts";
import type { RunSpec } from "../core/run_cache.ts";

/** A run's identity in the cache (what runKey hashes). */
export type RunIdentity = Pick<RunSpec, "kind" | "version" | "config">;

/** The entries the stored run of `kind` with stored `config` needs; [] for a run that needs none. */
export function runDependencies(kind: string, config: unknown): RunIdentity[] {
  if (kind !== "grpo" && kind !== "distill") return [];
  const c = config as {
    start?: Record<string, unknown>;
    sft_version?: unknown;
    eval_set_sha256?: unknown;
    formats_version?: unknown;
  };
  if (
    typeof c?.start !== "object" || typeof c.sft_version !== "string" || typeof c.eval_set_sha256 !== "string"
  ) {
    throw new LabError(
      `a stored ${kind} config lacks start, sft_version or eval_set_sha256`,
      `the entry was not written by this lab's ${kind} trainer; recompute it`,
    );
  }
  return [{
    kind: "sft",
    version: c.sft_version,
    config: {
      ...c.start,
      eval_set_sha256: c.eval_set_sha256,
      ...(c.formats_version !== undefined ? { formats_version: c.formats_version } : {}),
    },
  }];
}
