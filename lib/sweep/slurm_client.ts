/**
 * The Slurm commands the slurm engine uses: sbatch (submit an array),
 * squeue (one line per array task, finished ones included while the
 * controller remembers them), scancel and scontrol requeue. No sacct: the
 * clusters this runs on may have no accounting database, and the engine reads
 * outcomes from the store and the task logs instead.
 *
 * Every command runs with a Slurm configuration in reach: SLURM_CONF set, or
 * /etc/slurm/slurm.conf present. Without one a Slurm client looks the
 * controller up in DNS (configless mode), which must never happen by
 * accident, so the engine refuses to run a client and says what to set.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseSqueue } from "./slurm_client.ts";
 * assertEquals(parseSqueue("12|3|RUNNING|None|node7\n12|4|PENDING|Resources|\n"), [
 *   { jobId: "12", index: 3, state: "RUNNING", reason: "None", node: "node7" },
 *   { jobId: "12", index: 4, state: "PENDING", reason: "Resources", node: "" },
 * ]);
 * ```
 */
import { LabError } from "../core/errors.ts";

/** One array task as squeue reports it. */
export interface SlurmTask {
  /** The array's job id (%F). */
  jobId: string;
  /** The array index (%K). */
  index: number;
  /** PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, ... */
  state: string;
  /** Why it is pending ("Resources", "Priority", "None"). */
  reason: string;
  /** Where it runs or ran. */
  node: string;
}

const FORMAT = "%F|%K|%T|%r|%N";

/** Parse `squeue -h -r -o "%F|%K|%T|%r|%N"` output (lines that are not array tasks are skipped). */
export function parseSqueue(text: string): SlurmTask[] {
  const out: SlurmTask[] = [];
  for (const line of text.split("\n")) {
    const [jobId, index, state, reason, node] = line.trim().split("|");
    if (!jobId || !/^\d+$/.test(index ?? "")) continue;
    out.push({ jobId, index: Number(index), state, reason: reason ?? "", node: node ?? "" });
  }
  return out;
}

/** The environment Slurm clients run with; a LabError when no Slurm configuration is in reach. */
export function slurmEnv(): Record<string, string> {
  const conf = Deno.env.get("SLURM_CONF");
  if (conf) {
    if (!exists(conf)) {
      throw new LabError(
        `SLURM_CONF is ${conf}, which does not exist`,
        "point SLURM_CONF at your cluster's slurm.conf",
      );
    }
    return { SLURM_CONF: conf };
  }
  if (exists("/etc/slurm/slurm.conf")) return {};
  throw new LabError(
    "no Slurm configuration: SLURM_CONF is not set and /etc/slurm/slurm.conf does not exist " +
      "(a Slurm client without one would look the controller up in DNS)",
    "set SLURM_CONF to the cluster's slurm.conf (`scripts/slurm_cluster.sh start DIR` prints it for a " +
      "one-machine test cluster), or use --engine local",
  );
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Run a Slurm client; stdout on success, a LabError with its stderr otherwise. */
export async function slurm(cmd: string, args: string[]): Promise<string> {
  const env = slurmEnv();
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cmd, { args, env, stdin: "null", stdout: "piped", stderr: "piped" })
      .output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new LabError(
        `${cmd} is not installed`,
        "run on a machine with the Slurm clients (Debian: slurm-client), or use --engine local",
      );
    }
    throw e;
  }
  const dec = new TextDecoder();
  if (!out.success) {
    throw new LabError(
      `${cmd} ${args.join(" ")} failed (exit ${out.code}): ${dec.decode(out.stderr).trim() || "no message"}`,
      "check the options above against the cluster (sinfo shows its partitions and limits)",
    );
  }
  return dec.decode(out.stdout);
}

/** Submit a batch script; resolves to the job id. */
export async function sbatch(args: string[], script: string): Promise<string> {
  const out = (await slurm("sbatch", ["--parsable", ...args, script])).trim();
  const id = out.split(";")[0];
  if (!/^\d+$/.test(id)) throw new LabError(`sbatch printed '${out}' instead of a job id`);
  return id;
}

/** Every array task of the jobs named `jobName` that the controller still knows, finished ones included. */
export async function squeueTasks(jobName: string): Promise<SlurmTask[]> {
  return parseSqueue(await slurm("squeue", ["-h", "-r", "-t", "all", `--name=${jobName}`, "-o", FORMAT]));
}

/** Cancel tasks ("123_4") or whole jobs. */
export async function scancel(ids: string[]): Promise<void> {
  if (ids.length) await slurm("scancel", ids);
}

/** Put finished, failed or cancelled tasks ("123_4") back in the queue; each reruns with SLURM_RESTART_COUNT set. */
export async function requeue(ids: string[]): Promise<void> {
  if (ids.length) await slurm("scontrol", ["requeue", ids.join(",")]);
}
