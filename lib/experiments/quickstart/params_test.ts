import { assertEquals, assertThrows } from "@std/assert";
import { LabError } from "../../core/errors.ts";
import { parseSftConfig } from "../../train/sft.ts";
import { SCALES } from "../../notebook/scale.ts";
import { quickstartParams, sftConfigFor } from "./params.ts";

Deno.test("every scale gives a valid SFT config whose context fits the longest level", () => {
  for (const scale of SCALES) {
    const p = quickstartParams(scale);
    for (const seed of p.seeds) {
      const c = parseSftConfig(sftConfigFor(p, seed));
      assertEquals(c.seed, seed);
      assertEquals(c.model.block_size, 8 * Math.max(...p.eval_levels) + 8);
    }
  }
  assertEquals(quickstartParams("default") !== quickstartParams("default"), true); // fresh copies
});

Deno.test("quickstart params: unknown or wrong fields are errors naming the field", () => {
  const p = { ...quickstartParams("smoke"), step: 10 };
  assertThrows(() => sftConfigFor(p as never, 0), LabError, "step");
  assertThrows(() => sftConfigFor({ ...quickstartParams("smoke"), seeds: [] }, 0), LabError, "seeds");
});
