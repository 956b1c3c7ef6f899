/**
 * A sweep's plan: its runs expanded (expand.ts), each validated by its
 * trainer's schema and given its run-cache key, plus where the sweep keeps its
 * own records in the store (`STORE/sweeps/NAME-ID/`, ID from the trainer and
 * the runs' keys, so the same runs always map to the same folder and a second
 * `lab sweep` finds what the first submitted). Two runs with the same key are
 * an error naming both, since they would be one run.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { planSweep } from "./plan.ts";
 * import { parseSweepFile } from "./sweep_file.ts";
 * const sweep = parseSweepFile({ name: "demo", trainer: "sft", grid: { seed: [0, 1] } }, "demo.json");
 * const plan = await planSweep(sweep, "demo.json", "/tmp/store");
 * assertEquals(plan.runs.map((r) => [r.label, r.kind, r.key.length]), [["seed=0", "sft", 16], ["seed=1", "sft", 16]]);
 * assertEquals(plan.dir.startsWith("/tmp/store/sweeps/demo-"), true);
 * ```
 */
import { canonicalJson, sha256Hex } from "../core/hash.ts";
import { LabError } from "../core/errors.ts";
import { cacheRoot, runKey } from "../core/run_cache.ts";
import { type TrainerName, TRAINERS } from "../train/registry.ts";
import { expandRuns } from "./expand.ts";
import type { SlurmSettings, SweepFile } from "./sweep_file.ts";

/** One run of the plan. */
export interface PlannedRun {
  /** Position in the sweep (0-based). */
  index: number;
  label: string;
  /** The run's config as the sweep file builds it (the trainer fills the defaults). */
  config: Record<string, unknown>;
  /** The run cache's kind ("sft") and short key; the entry is `STORE/KIND/KEY`. */
  kind: string;
  key: string;
  fullKey: string;
  /** The entry's directory (complete once its manifest is there). */
  dir: string;
  /** The run's total steps when its config has a `steps` field (for progress). */
  steps?: number;
}

export interface SweepPlan {
  name: string;
  /** NAME-XXXXXXXX: the sweep folder's name and the Slurm job name. */
  id: string;
  trainer: TrainerName;
  /** The sweep file, for messages. */
  where: string;
  /** The store (run cache root), absolute. */
  root: string;
  /** The sweep's own folder in the store: configs, batch scripts, submissions, logs. */
  dir: string;
  slurm: SlurmSettings;
  runs: PlannedRun[];
}

/** Expand, validate and key every run of `sweep` (read from `where`) against the store at `root`. */
export async function planSweep(
  sweep: SweepFile & { name: string },
  where: string,
  root?: string,
): Promise<SweepPlan> {
  const trainer = sweep.trainer as TrainerName;
  const t = TRAINERS[trainer];
  const store = absolute(cacheRoot(root));
  const runs: PlannedRun[] = [];
  const byKey = new Map<string, string>();
  for (const [index, run] of expandRuns(sweep.base, sweep.grid, sweep.variants, where).entries()) {
    const parsed = t.parse(run.config, `${where}: run '${run.label}'`) as { steps?: unknown };
    const spec = await t.spec(run.config, store);
    const fullKey = await runKey(spec);
    const key = fullKey.slice(0, 16);
    const twin = byKey.get(fullKey);
    if (twin !== undefined) {
      throw new LabError(
        `${where}: runs '${twin}' and '${run.label}' have the same config (run ${spec.kind}/${key})`,
        "drop one of them or make their overrides differ",
      );
    }
    byKey.set(fullKey, run.label);
    runs.push({
      index,
      label: run.label,
      config: run.config,
      kind: spec.kind,
      key,
      fullKey,
      dir: `${store}/${spec.kind}/${key}`,
      steps: typeof parsed.steps === "number" ? parsed.steps : undefined,
    });
  }
  const id = (await sha256Hex(canonicalJson({ trainer, keys: runs.map((r) => r.fullKey).sort() }))).slice(
    0,
    8,
  );
  return {
    name: sweep.name,
    id: `${sweep.name}-${id}`,
    trainer,
    where,
    root: store,
    dir: `${store}/sweeps/${sweep.name}-${id}`,
    slurm: sweep.slurm,
    runs,
  };
}

function absolute(path: string): string {
  return path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
}
