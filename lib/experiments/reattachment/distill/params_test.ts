import { assertEquals } from "@std/assert";
import { parseDistillConfig } from "../../../train/distill/config.ts";
import { parseGrpoConfig } from "../../../train/grpo/config.ts";
import { reattachmentParams } from "../params.ts";
import { distillParams } from "./params.ts";
import { methodConfig } from "./runs.ts";

for (const scale of ["smoke", "default"] as const) {
  Deno.test(`distill params (${scale}): every trained method replays gold harness calls, except the _noreplay ablations`, () => {
    const p = reattachmentParams(scale);
    const dp = distillParams(scale);
    const replayed: [string, number][] = dp.methods.filter((m) => m.trainer !== "none").map((m) => {
      const c = methodConfig(p, dp, m, 0);
      const parsed = m.trainer === "grpo" ? parseGrpoConfig(c) : parseDistillConfig(c);
      return [m.name, parsed.replay?.rows ?? 0];
    });
    for (const [name, rows] of replayed) assertEquals([name, rows > 0], [name, !name.endsWith("_noreplay")]);
    assertEquals(replayed.some(([n]) => n.endsWith("_noreplay")), true);
  });
}

Deno.test("distill params: a _noreplay method is its method with the trainer's default replay (no rows), nothing else", () => {
  const p = reattachmentParams("default");
  const dp = distillParams("default");
  const of = (name: string) =>
    parseDistillConfig(methodConfig(p, dp, dp.methods.find((m) => m.name === name)!, 0));
  for (const [off, on] of [["sft_noreplay", "sft"], ["ophsd_trace_noreplay", "ophsd_trace"]]) {
    const a = of(off), b = of(on);
    assertEquals(
      a.replay,
      parseDistillConfig({ ...methodConfig(p, dp, dp.methods[1], 0), replay: undefined }).replay,
    );
    assertEquals({ ...a, replay: null }, { ...b, replay: null });
  }
});
