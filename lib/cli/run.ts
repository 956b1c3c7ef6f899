/**
 * `lab run --trainer NAME --config FILE [--runs DIR]`: one run of any
 * registered trainer (lib/train/registry.ts) through the run cache: the stored
 * result if there is one, else trained (resuming from the run's last
 * checkpoint) and stored. What each Slurm array task of a sweep runs; also
 * handy by hand. Prints where the entry is; exits 1 with the error when the
 * run fails, leaving its checkpoint for the next attempt.
 */
import { readJsonFile } from "../core/config.ts";
import { LabError } from "../core/errors.ts";
import { terminalProgress } from "../core/progress.ts";
import { type TrainerName, TRAINERS } from "../train/registry.ts";
import type { Flags } from "./args.ts";

export const RUN_USAGE = "run --trainer NAME --config FILE [--runs DIR]";

export async function runCommand(f: Flags): Promise<void> {
  const name = f.trainer as string;
  if (!Object.hasOwn(TRAINERS, name)) {
    throw new LabError(
      `run: unknown trainer '${name}'`,
      `use one of: ${Object.keys(TRAINERS).join(", ")}`,
    );
  }
  const trainer = TRAINERS[name as TrainerName];
  const path = f.config as string;
  const config = await readJsonFile(path);
  trainer.parse(config, path);
  const t0 = performance.now();
  const run = await trainer.run(config, {
    progress: terminalProgress(name),
    root: f.runs as string | undefined,
  });
  const r = run.result as { resumedFrom?: number };
  const resumed = r.resumedFrom ? `, resumed from the checkpoint at step ${r.resumedFrom}` : "";
  console.log(
    `${run.cached ? "cached" : "computed"} run ${name}/${run.key} in ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s${resumed}`,
  );
  console.log(`entry: ${run.dir}`);
}
