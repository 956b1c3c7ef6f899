import { assertEquals, assertThrows } from "@std/assert";
import { LabError } from "../core/errors.ts";
import { endedAs } from "./slurm_engine.ts";
import { parseSqueue, slurmEnv } from "./slurm_client.ts";

Deno.test("endedAs: how an attempt without a result ended, from the queue state and its own log lines", () => {
  const start = (n: number) => `harnesslab: run sft/k as task 7_0 (restart ${n}) on node1 at t`;
  // Cancelled: said by squeue, or by Slurm's line in the log once squeue forgot the job.
  assertEquals(endedAs("CANCELLED", [start(0)]), { state: "cancelled", detail: "cancelled" });
  assertEquals(
    endedAs("", [start(0), "slurmstepd: error: *** JOB 8 ON node1 CANCELLED AT 2026-11-30T00:25:06 ***"]),
    { state: "cancelled", detail: "cancelled (JOB 8 ON node1 CANCELLED AT 2026-11-30T00:25:06)" },
  );
  // An earlier attempt's cancel does not count for the latest attempt.
  assertEquals(
    endedAs("FAILED", [
      start(0),
      "slurmstepd: error: *** JOB 8 ON n CANCELLED AT t ***",
      start(1),
      "error: boom",
      "harnesslab: exit 1 at t",
    ]),
    { state: "failed", detail: "FAILED, exit 1: error: boom" },
  );
  // Killed without a word (node lost, out of memory, time limit).
  assertEquals(endedAs("TIMEOUT", [start(0)]), { state: "failed", detail: "TIMEOUT" });
  assertEquals(endedAs("", []), { state: "failed", detail: "ended" });
});

Deno.test("parseSqueue skips lines that are not array tasks", () => {
  assertEquals(parseSqueue("5|N/A|RUNNING|None|n1\n\n9|0|COMPLETED|None|n2"), [
    { jobId: "9", index: 0, state: "COMPLETED", reason: "None", node: "n2" },
  ]);
});

Deno.test("no Slurm client runs without a configuration in reach (it would ask DNS for the controller)", () => {
  const before = Deno.env.get("SLURM_CONF");
  try {
    Deno.env.set("SLURM_CONF", "/nonexistent/slurm.conf");
    const e = assertThrows(() => slurmEnv(), LabError);
    assertEquals(
      e.message,
      "SLURM_CONF is /nonexistent/slurm.conf, which does not exist. Fix: point SLURM_CONF at your cluster's slurm.conf",
    );
    Deno.env.delete("SLURM_CONF");
    let exists = true;
    try {
      Deno.statSync("/etc/slurm/slurm.conf");
    } catch {
      exists = false;
    }
    if (!exists) assertThrows(() => slurmEnv(), LabError, "no Slurm configuration: SLURM_CONF is not set");
    else assertEquals(slurmEnv(), {});
  } finally {
    if (before === undefined) Deno.env.delete("SLURM_CONF");
    else Deno.env.set("SLURM_CONF", before);
  }
});
