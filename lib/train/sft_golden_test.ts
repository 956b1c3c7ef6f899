/**
 * Guards the run cache's promise that a cached result is what the current
 * code would compute: a tiny SFT run's losses, accuracies and greedy
 * completions are pinned, bit for bit, together with SFT_VERSION. A change
 * that moves any number (even in the last float bit) fails here until
 * SFT_VERSION is bumped, which invalidates the old cached runs, and the pinned
 * numbers are regenerated with UPDATE_GOLDEN=1.
 *
 * The two kernel paths compute in different orders, so each has its own pinned
 * run, keyed by the backend the run records ("wasm+openblas" with the native
 * kernels, "wasm" without); lib/core/native/stock_path_test.ts runs this file
 * with HARNESSLAB_NATIVE=off. UPDATE_GOLDEN=1 rewrites the current path's run.
 */
import { assert, assertEquals } from "@std/assert";
import { useWasm } from "../../tests/helpers/tiny.ts";
import { parseSftConfig, SFT_VERSION, trainSft } from "./sft.ts";

await useWasm();

const GOLDEN = new URL("./testdata/sft_golden.json", import.meta.url).pathname;

const config = {
  seed: 11,
  backend: "wasm",
  model: { n_layer: 2, n_head: 2, n_embd: 16, block_size: 32 },
  task: { family: "arithmetic", ops: ["+", "-"] },
  train_levels: [1, 2],
  steps: 8,
  batch_size: 16,
  lr: 0.01,
  warmup_steps: 2,
  eval_set: "arith_pm_eval",
  eval_levels: [1, 2, 3],
  eval_per_level: 6,
  eval_every: 4,
  checkpoint_every: 0,
};

Deno.test("SFT results are pinned to SFT_VERSION (bump it when numbers move)", async () => {
  const r = await trainSft(parseSftConfig(config), {});
  const actual = { metrics: r.metrics, final: r.final, completions: r.samples.map((s) => s.completion) };
  const golden = JSON.parse(await Deno.readTextFile(GOLDEN));
  if (Deno.env.get("UPDATE_GOLDEN") === "1") {
    const runs = golden.version === SFT_VERSION ? golden.runs : {};
    const updated = { version: SFT_VERSION, runs: { ...runs, [r.backend]: actual } };
    await Deno.writeTextFile(GOLDEN, JSON.stringify(updated, null, 1) + "\n");
    return;
  }
  const regenerate =
    "regenerate with UPDATE_GOLDEN=1 deno task test, and with HARNESSLAB_NATIVE=off UPDATE_GOLDEN=1 " +
    "deno test -A lib/train/sft_golden_test.ts for the stock path";
  assertEquals(golden.version, SFT_VERSION, `the pinned numbers are for ${golden.version}; ${regenerate}`);
  assert(r.backend in golden.runs, `no run pinned for backend ${r.backend}; ${regenerate}`);
  assertEquals(
    actual,
    golden.runs[r.backend],
    `SFT results on ${r.backend} changed under ${SFT_VERSION}: cached runs would no longer match the code. ` +
      `Bump SFT_VERSION in lib/train/sft.ts, then ${regenerate}`,
  );
});
