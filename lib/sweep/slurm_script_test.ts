import { assertEquals } from "@std/assert";
import { batchScript, sbatchArgs } from "./slurm_script.ts";
import { SlurmSettingsSchema } from "./sweep_file.ts";

Deno.test("the batch script maps the array index to a run key and runs the lab's CLI on its config", async () => {
  const text = batchScript({
    sweepId: "w-0badf00d",
    trainer: "sft",
    keys: ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"],
    sweepDir: "/store/sweeps/w-0badf00d",
    store: "/store",
    deno: "/lab/.tools/deno",
    cli: "/lab/lib/cli/main.ts",
  });
  assertEquals(text.split("\n").slice(3, 5), [
    "keys=(aaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbb)",
    'key="${keys[$SLURM_ARRAY_TASK_ID]}"',
  ]);
  // Run it as Slurm would, with a fake deno that prints its arguments.
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/deno`, '#!/bin/sh\necho "deno $*"\nexit 3\n');
  await Deno.chmod(`${dir}/deno`, 0o755);
  const script = batchScript({
    sweepId: "w",
    trainer: "sft",
    keys: ["k0", "k1"],
    sweepDir: `${dir}/sw eep`,
    store: `${dir}/st'ore`,
    deno: `${dir}/deno`,
    cli: "/lab/main.ts",
  });
  const out = await new Deno.Command("bash", {
    args: ["-c", script],
    env: { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_JOB_ID: "12", SLURM_RESTART_COUNT: "2" },
    stdout: "piped",
  }).output();
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  assertEquals(out.code, 3);
  assertEquals(
    lines[0].replace(/ at .*$/, "").replace(/ on \S+$/, ""),
    "harnesslab: run sft/k1 as task 12_1 (restart 2)",
  );
  assertEquals(
    lines[1],
    `deno run -A /lab/main.ts run --trainer sft --config ${dir}/sw eep/configs/k1.json --runs ${dir}/st'ore`,
  );
  assertEquals(lines[2].replace(/ at .*$/, ""), "harnesslab: exit 3");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sbatch options: array with a limit, per-task log appended, resources, partition and extra args", () => {
  const slurm = SlurmSettingsSchema.parse({
    partition: "cpu",
    time: "00:30:00",
    mem: "1G",
    max_parallel: 4,
    sbatch_args: ["--qos=short"],
  });
  assertEquals(sbatchArgs({ jobName: "hl-w", tasks: 12, logDir: "/s/logs", workDir: "/lab", slurm }), [
    "--job-name=hl-w",
    "--array=0-11%4",
    "--output=/s/logs/%A_%a.out",
    "--open-mode=append",
    "--requeue",
    "--chdir=/lab",
    "--time=00:30:00",
    "--mem=1G",
    "--cpus-per-task=1",
    "--partition=cpu",
    "--qos=short",
  ]);
});
