/**
 * A single-node Slurm cluster for tests (scripts/slurm_cluster.sh): started
 * on loopback with its state under a temporary folder, stopped by the PIDs it
 * started. `slurmMissing()` says in one line why no cluster can start here
 * (no Slurm or munge installed, not root), so a test can be skipped with that
 * reason; a cluster that should start and does not is an error.
 */
const SCRIPT = new URL("../../scripts/slurm_cluster.sh", import.meta.url).pathname;

function onPath(bin: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").concat(["/usr/sbin", "/sbin"]).some((d) => {
    try {
      return Deno.statSync(`${d}/${bin}`).isFile;
    } catch {
      return false;
    }
  });
}

/** Why a test cluster cannot start on this machine, or null when it can. */
export function slurmMissing(): string | null {
  const missing = ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "python3"].filter((b) =>
    !onPath(b)
  );
  if (missing.length) {
    return `Slurm cannot start here: ${missing.join(", ")} not installed (bash scripts/setup.sh)`;
  }
  if (Deno.uid() !== 0) return "Slurm cannot start here: slurmd needs root to launch jobs";
  return null;
}

/** A running test cluster. */
export interface TestCluster {
  dir: string;
  /** The slurm.conf every client command must see (as SLURM_CONF). */
  conf: string;
  /** The PIDs the script started (munged, slurmctld, slurmd). */
  pids: number[];
  stop(): Promise<void>;
}

async function script(...args: string[]): Promise<{ ok: boolean; out: string }> {
  const r = await new Deno.Command("bash", { args: [SCRIPT, ...args], stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { ok: r.success, out: (dec.decode(r.stdout) + dec.decode(r.stderr)).trim() };
}

/** Start a cluster under a new temporary folder; throws with the script's reason when it does not start. */
export async function startCluster(): Promise<TestCluster> {
  const dir = await Deno.makeTempDir({ prefix: "hl-slurm-" });
  const r = await script("start", dir);
  if (!r.ok) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw new Error(`the test cluster did not start: ${r.out}`);
  }
  const pids = (await Deno.readTextFile(`${dir}/pids`)).trim().split("\n").map((l) =>
    Number(l.split(" ")[1])
  );
  return {
    dir,
    conf: `${dir}/slurm.conf`,
    pids,
    stop: async () => {
      const s = await script("stop", dir);
      if (!s.ok) throw new Error(`the test cluster did not stop: ${s.out}`);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
