import { assertEquals, assertThrows } from "@std/assert";
import { LabError } from "../core/errors.ts";
import { runKey } from "../core/run_cache.ts";
import { tinySftConfig } from "../../tests/helpers/tiny.ts";
import { parseSftConfig, sftRunSpec } from "./sft.ts";
import { grpoRunSpec } from "./grpo/grpo.ts";
import { parseGrpoConfig } from "./grpo/config.ts";
import { runDependencies } from "./run_deps.ts";

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
