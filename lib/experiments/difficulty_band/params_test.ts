import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { LabError } from "../../core/errors.ts";
import { parseGrpoConfig } from "../../train/grpo/config.ts";
import { parseSftConfig } from "../../train/sft.ts";
import { bandParams, bandTask, grpoConfigFor, startConfigFor } from "./params.ts";

Deno.test("every condition's GRPO config validates at every scale, with its curriculum and KL term", () => {
  const kinds = {
    uniform: "uniform",
    static_band: "static_band",
    adaptive_band: "adaptive_band",
    over_hard: "over_hard",
    over_hard_kl: "over_hard",
    over_hard_easy: "over_hard",
  };
  for (const scale of ["smoke", "default", "full"] as const) {
    const p = bandParams(scale);
    for (const c of p.conditions) {
      const cfg = parseGrpoConfig(grpoConfigFor(p, c, 0), `${scale} ${c}`);
      assertEquals([cfg.curriculum.kind, cfg.kl_coef > 0], [kinds[c], c === "over_hard_kl"]);
      assertEquals(
        cfg.curriculum.kind === "over_hard" && cfg.curriculum.easy_mix > 0,
        c === "over_hard_easy",
      );
    }
  }
});

Deno.test("the start model's context is used as given: too short for a measured level is a config error", () => {
  const p = bandParams("smoke"); // levels 1-3: level 3 is 29 tokens
  p.start.model = { ...p.start.model, block_size: 24 }; // not silently raised: the SFT schema refuses it
  for (const make of [() => startConfigFor(p), () => grpoConfigFor(p, "uniform", 0)]) {
    const e = assertThrows(make, LabError);
    assertStringIncludes(e.message, "block_size 24 is too short for eval_levels level 3 (29 tokens)");
  }
  p.start.model = { ...p.start.model, block_size: 28 }; // level 3 needs 28 positions: fits
  assertEquals(parseGrpoConfig(grpoConfigFor(p, "uniform", 0)).start.model.block_size, 28);
});

Deno.test("the start task is + and - arithmetic with noisy steps: chance is 0.1 at every level", () => {
  const p = bandParams("default");
  const task = bandTask(p);
  assertEquals(parseSftConfig(startConfigFor(p)).task, {
    family: "arithmetic",
    ops: ["+", "-"],
    scratchpad: true,
    step_noise: 0.15,
  });
  for (const l of p.grpo.levels) assertEquals(Math.abs(task.chance(l) - 0.1) < 1e-15, true);
  // the start model is trained on every level measured but the two over-hard ones
  assertEquals(p.start.train_levels, p.grpo.levels.filter((l) => l <= 8));
});

Deno.test("without step_noise the start task has no step_noise key (existing cache keys unchanged)", () => {
  const p = bandParams("default");
  p.start.task = { family: "arithmetic", ops: ["+", "-"] };
  assertEquals("step_noise" in parseSftConfig(startConfigFor(p)).task, false);
});

Deno.test("bad params are a clear error", () => {
  const p = { ...bandParams("smoke"), lrr: 1 };
  assertStringIncludes(
    assertThrows(() => startConfigFor(p as never), LabError).message,
    "unknown field 'lrr'",
  );
});

Deno.test("a bad trainer knob is reported by the trainer's own schema, naming the field", () => {
  const p = bandParams("smoke");
  p.grpo = { ...p.grpo, band_prompts: 9 }; // eval_per_level 8
  assertStringIncludes(
    assertThrows(() => grpoConfigFor(p, "uniform", 0), LabError).message,
    "band_prompts 9 exceeds eval_per_level 8",
  );
  const q = bandParams("smoke");
  q.start = { ...q.start, steps: 0 };
  assertStringIncludes(
    assertThrows(() => startConfigFor(q), LabError).message,
    "difficulty-band params: start",
  );
});
