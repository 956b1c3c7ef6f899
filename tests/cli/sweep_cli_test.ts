/** `lab sweep`, `lab sweep status` and `lab run` as a user runs them (the slurm engine itself: tests/slurm/). */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { tinySftConfig } from "../helpers/tiny.ts";

const MAIN = new URL("../../lib/cli/main.ts", import.meta.url).pathname;

async function lab(env: Record<string, string>, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "lab sweep (local): runs what is not stored, then status and a second sweep read the store",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/two.json`;
      await Deno.writeTextFile(
        file,
        JSON.stringify({ trainer: "sft", base: tinySftConfig(), grid: { seed: [0, 1] } }),
      );
      const before = await lab({}, "sweep", "status", "--config", file, "--runs", `${dir}/store`);
      assertEquals(before.code, 0, before.stderr);
      assertEquals(before.stdout.trim().split("\n").at(-1), "2 runs: 0 done, 0 running, 2 pending, 0 failed");
      const r = await lab({}, "sweep", "--config", file, "--runs", `${dir}/store`, "--workers", "2");
      assertEquals(r.code, 0, r.stderr);
      assertStringIncludes(r.stdout, "2 sft runs");
      assertStringIncludes(r.stdout, "2 runs: 2 done, 0 running, 0 pending, 0 failed");
      const again = await lab({}, "sweep", "--config", file, "--runs", `${dir}/store`);
      assertEquals(
        again.stdout.split("\n").filter((l) => l.startsWith("done ")).map((l) => l.trim().endsWith("stored")),
        [true, true],
      );
      const status = await lab({}, "sweep", "status", "--config", file, "--runs", `${dir}/store`);
      assertEquals(status.stdout.split("\n").filter((l) => /^done +seed=\d/.test(l)).length, 2);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("lab sweep and lab run: bad input is one error naming what is wrong and what to do", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/s.json`;
    await Deno.writeTextFile(file, JSON.stringify({ trainer: "sft", grid: { seed: [0] } }));
    const engine = await lab({}, "sweep", "--config", file, "--engine", "cloud");
    assertEquals([engine.code, engine.stderr.trim()], [
      1,
      "error: sweep: --engine must be local or slurm, got 'cloud'. Fix: usage: " +
      "sweep --config SWEEP [--engine local|slurm] [--runs DIR] [--workers N] [--partition P] [--time T] [--mem M] " +
      "[--cpus-per-task N] [--max-parallel N] [--max-attempts N] [--poll S] [--no-wait]",
    ]);
    const slurm = (...more: string[]) =>
      lab(
        { SLURM_CONF: `${dir}/slurm.conf` },
        "sweep",
        "--config",
        file,
        "--engine",
        "slurm",
        "--runs",
        dir,
        ...more,
      );
    assertStringIncludes(
      (await slurm("--time", "2h")).stderr,
      `- field 'time': must be a Slurm time limit such as '30', '01:30:00' or '1-00:00' (got "2h")`,
    );
    const conf = await slurm();
    assertEquals(
      conf.stderr.trim(),
      `error: SLURM_CONF is ${dir}/slurm.conf, which does not exist. Fix: point SLURM_CONF at your cluster's slurm.conf`,
    );
    const trainer = await lab({}, "run", "--trainer", "dpo", "--config", file);
    assertEquals(
      trainer.stderr.trim(),
      "error: run: unknown trainer 'dpo'. Fix: use one of: sft, grpo, distill, facts-pretrain",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
