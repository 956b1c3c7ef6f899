import { assertEquals, assertThrows } from "@std/assert";
import { LabError } from "../core/errors.ts";
import { loadSweepFile, parseSweepFile } from "./sweep_file.ts";

Deno.test("a sweep file's defaults, and its name from the file name", () => {
  const s = parseSweepFile({ trainer: "grpo" }, "configs/sweeps/band seeds.json");
  assertEquals(s.name, "band_seeds");
  assertEquals([s.base, s.grid, s.variants], [{}, {}, [{}]]);
  assertEquals(s.slurm, {
    time: "01:00:00",
    mem: "2G",
    cpus_per_task: 1,
    max_parallel: 0,
    max_attempts: 3,
    sbatch_args: [],
  });
  assertEquals(parseSweepFile({ trainer: "sft", name: "w" }, "x.json").name, "w");
});

Deno.test("bad sweep files: each error names the field, the value and what is allowed", () => {
  const cases: [unknown, string[]][] = [
    [{ trainer: "sftt" }, [
      `- field 'trainer': must be a registered trainer (sft, grpo, distill, facts-pretrain) (got "sftt")`,
    ]],
    [{ trainer: "sft", gird: {} }, [
      "- unknown field 'gird' (allowed: name, trainer, base, grid, variants, slurm)",
    ]],
    [{ trainer: "sft", grid: { seed: [] } }, ["- field 'grid.seed': needs at least one value (got [])"]],
    [
      { trainer: "sft", grid: { "model..n_embd": [16] }, variants: [{ "1x": 2 }] },
      [
        "- field 'grid.model..n_embd': is not a dot path of field names such as 'model.n_embd' (got [16])",
        "- field 'variants.0.1x': is not a dot path of field names such as 'model.n_embd' (got 2)",
      ],
    ],
    [
      { trainer: "sft", slurm: { time: "1h", mem: "2GB", sbatch_args: ["-A lab"] } },
      [
        `- field 'slurm.time': must be a Slurm time limit such as '30', '01:30:00' or '1-00:00' (got "1h")`,
        `- field 'slurm.mem': must be a Slurm memory size such as '2G' or '500M' (got "2GB")`,
        `- field 'slurm.sbatch_args.0': must be a long option such as '--qos=short' (got "-A lab")`,
      ],
    ],
  ];
  for (const [input, lines] of cases) {
    const e = assertThrows(() => parseSweepFile(input, "s.json"), LabError);
    assertEquals(e.message.split(". Fix:")[0].split("\n"), ["s.json is invalid:", ...lines]);
  }
});

Deno.test("loadSweepFile names a missing file", async () => {
  const e = await loadSweepFile("/nonexistent/sweep.json").catch((e) => e);
  assertEquals(e.message, "file not found: /nonexistent/sweep.json. Fix: check the path");
});
