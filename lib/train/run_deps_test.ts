import { assertEquals, assertThrows } from "@std/assert";
import { LabError } from "../core/errors.ts";
import { runKey } from "../core/run_cache.ts";
import { tinySftConfig } from "../../tests/helpers/tiny.ts";
import { parseSftConfig, sftRunSpec } from "./sft.ts";
import { grpoRunSpec } from "./grpo/grpo.ts";
import { parseGrpoConfig } from "./grpo/config.ts";
import { runDependencies } from "./run_deps.ts";
import { distillRunSpec } from "./distill/distill.ts";
import { parseDistillConfig } from "./distill/config.ts";

Deno.test("a stored GRPO config names its start model's SFT entry, as sftRunSpec keys it", async () => {
  const start = tinySftConfig({ steps: 7 });
  const grpo = await grpoRunSpec(parseGrpoConfig({ start, levels: [1, 2], steps: 2 }));
  const stored = JSON.parse(JSON.stringify(grpo.config)); // as config.json holds it
  const deps = runDependencies("grpo", stored);
  assertEquals(deps.length, 1);
  assertEquals(await runKey(deps[0]), await runKey(await sftRunSpec(parseSftConfig(start))));
  assertEquals(runDependencies("sft", stored.start), []);
  assertThrows(
    () => runDependencies("grpo", { start }),
    LabError,
    "lacks start, sft_version or eval_set_sha256",
  );
});

Deno.test("a GRPO or distillation run from a start trained on a mix names the start's entry, formats version included", async () => {
  const start = tinySftConfig({
    steps: 7,
    model: { n_layer: 1, n_head: 2, n_embd: 16, block_size: 40 },
    mix: [{ format: "bare", weight: 3 }, { format: "plan", weight: 1, levels: [2] }],
  });
  const want = await runKey(await sftRunSpec(parseSftConfig(start)));
  const grpo = await grpoRunSpec(parseGrpoConfig({ start, levels: [1, 2], steps: 2 }));
  const distill = await distillRunSpec(parseDistillConfig({ start, levels: [2], steps: 2 }));
  for (const [kind, spec] of [["grpo", grpo], ["distill", distill]] as const) {
    const deps = runDependencies(kind, JSON.parse(JSON.stringify(spec.config)));
    assertEquals(deps.length, 1, kind);
    assertEquals(await runKey(deps[0]), want, kind);
  }
});
