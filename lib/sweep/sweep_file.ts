/**
 * The sweep file: one trainer, a base config of that trainer (partial; the
 * trainer's schema fills the defaults), and the runs as overrides of it: a
 * `grid` (every combination of its lists) and/or `variants` (a list of
 * override sets, each crossed with the grid). Overrides name fields by dot
 * path ("model.n_embd"). The `slurm` part says how the slurm engine submits
 * (partition, time limit, memory, CPUs per task, how many tasks at once,
 * attempts per run); the local engine ignores it.
 *
 * ```json
 * { "name": "width", "trainer": "sft",
 *   "base": { "steps": 300, "task": { "family": "arithmetic", "ops": ["+", "-"] } },
 *   "grid": { "seed": [0, 1, 2], "model.n_embd": [32, 64] },
 *   "slurm": { "partition": "cpu", "time": "00:30:00", "mem": "2G" } }
 * ```
 *
 * Any trainer registered in lib/train/registry.ts may be named; the file is
 * validated with zod (errors name the field, the value and the fix), and each
 * expanded run is validated by its trainer's own schema (expand.ts).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseSweepFile } from "./sweep_file.ts";
 * const s = parseSweepFile({ trainer: "sft", grid: { seed: [0, 1] } }, "demo.json");
 * assertEquals([s.trainer, s.slurm.max_attempts, s.slurm.mem], ["sft", 3, "2G"]);
 * ```
 */
import { z } from "zod";
import { parseConfig, readJsonFile } from "../core/config.ts";
import { TRAINERS } from "../train/registry.ts";

/** A field of the trainer's config, by dot path: "seed", "model.n_embd", "curriculum.low". */
export const DOT_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|\d+))*$/;

const TIME = /^(\d+-\d+(:\d+){0,2}|\d+(:\d+){0,2}|UNLIMITED|INFINITE)$/;

/** How the slurm engine submits; every field may also come from a CLI flag. */
export const SlurmSettingsSchema = z.strictObject({
  /** Partition (queue); default: the cluster's default partition. */
  partition: z.string().regex(/^[A-Za-z0-9_.,-]+$/, "must be a partition name").optional(),
  /** Time limit per task, in Slurm's form: "MM", "HH:MM:SS", "D-HH:MM". */
  time: z.string().regex(TIME, "must be a Slurm time limit such as '30', '01:30:00' or '1-00:00'")
    .default("01:00:00"),
  /** Memory per task, in Slurm's form ("2G", "500M"); without it Slurm may give a task a whole node. */
  mem: z.string().regex(/^\d+[KMGT]?$/, "must be a Slurm memory size such as '2G' or '500M'").default("2G"),
  /** CPUs per task (the lab trains single-threaded: 1). */
  cpus_per_task: z.number().int().min(1).default(1),
  /** Most tasks of the sweep running at once (sbatch --array=...%N); 0 = no limit. */
  max_parallel: z.number().int().min(0).default(0),
  /** Attempts per run before it is reported failed (the first included). */
  max_attempts: z.number().int().min(1).max(10).default(3),
  /** More sbatch options, passed as given (e.g. ["--account=lab", "--qos=short"]). */
  sbatch_args: z.array(
    z.string().regex(/^--[a-z][a-z-]*(=.*)?$/, "must be a long option such as '--qos=short'"),
  )
    .default([]),
});
export type SlurmSettings = z.output<typeof SlurmSettingsSchema>;

const TrainerNameSchema = z.string().refine((t) => Object.hasOwn(TRAINERS, t), {
  message: `must be a registered trainer (${Object.keys(TRAINERS).join(", ")})`,
});

export const SweepFileSchema = z.strictObject({
  /** Names the sweep's folder and Slurm job; default: the file's name without .json. */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, "must be 1-40 letters, digits, '_', '-' or '.'")
    .optional(),
  trainer: TrainerNameSchema,
  /** A (partial) config of the trainer; the runs override it. */
  base: z.record(z.string(), z.unknown()).default({}),
  /** Every combination of these lists, the first field outermost. */
  grid: z.record(z.string(), z.array(z.unknown()).min(1, "needs at least one value")).default({}),
  /** Override sets, each crossed with the grid (default: one empty set). */
  variants: z.array(z.record(z.string(), z.unknown())).min(1).default([{}]),
  slurm: SlurmSettingsSchema.prefault({}),
}).superRefine((s, ctx) => {
  const where: [string, string[]][] = [["grid", Object.keys(s.grid)]];
  s.variants.forEach((v, i) => where.push([`variants.${i}`, Object.keys(v)]));
  for (const [at, paths] of where) {
    for (const path of paths.filter((p) => !DOT_PATH.test(p))) {
      ctx.addIssue({
        code: "custom",
        path: [...at.split("."), path],
        message: "is not a dot path of field names such as 'model.n_embd'",
      });
    }
  }
});
export type SweepFile = z.output<typeof SweepFileSchema>;

/** Validate a sweep file's content; `where` names it in errors. */
export function parseSweepFile(input: unknown, where: string): SweepFile & { name: string } {
  const s = parseConfig(SweepFileSchema, input, where);
  const fallback = where.split("/").at(-1)!.replace(/\.json$/, "").replace(/[^A-Za-z0-9_.-]/g, "_").slice(
    0,
    40,
  );
  return { ...s, name: s.name ?? (fallback || "sweep") };
}

/** Read and validate a sweep file. */
export async function loadSweepFile(path: string): Promise<SweepFile & { name: string }> {
  return parseSweepFile(await readJsonFile(path), path);
}
