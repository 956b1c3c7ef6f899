import { assertEquals, assertThrows } from "@std/assert";
import { LabError } from "../../core/errors.ts";
import { SCALES } from "../../notebook/scale.ts";
import { parseSftConfig } from "../../train/sft.ts";
import { makeHarness } from "../../harness/config.ts";
import {
  baseConfigFor,
  FAMILIES,
  harnessConfig,
  parseReattachmentParams,
  reattachmentParams,
} from "./params.ts";

Deno.test("every scale gives valid base-model SFT configs and harness configs for both families", () => {
  for (const scale of SCALES) {
    const p = parseReattachmentParams(reattachmentParams(scale));
    for (const family of FAMILIES) {
      const c = parseSftConfig(baseConfigFor(p, family, p.seeds[0]), `${scale} ${family}`);
      assertEquals([c.task.family, c.seed, c.mix !== undefined], [family, p.seeds[0], true]);
      assertEquals(
        makeHarness(harnessConfig(p, family)).name,
        family === "arithmetic" ? "plan_solve" : "draft_verify",
      );
    }
    assertEquals(parseSftConfig(baseConfigFor(p, "precedent", 0)).bank_max! > 0, true);
  }
});

Deno.test("reattachment params: a harness that cannot read its base model's formats is an error", () => {
  const p = reattachmentParams("default");
  p.precedent.harness = { kind: "draft_verify", k: 3 };
  assertThrows(
    () => parseReattachmentParams(p),
    LabError,
    "precedent.harness.k is 3 but the base model trains with formats.k 5",
  );
  const q = reattachmentParams("default");
  q.precedent.harness = { kind: "draft_verify", arrangement: { order: "as_given" } };
  assertThrows(() => parseReattachmentParams(q), LabError, "arrangement differs");
  assertThrows(
    () => parseReattachmentParams({ ...reattachmentParams("smoke"), seeds: [] }),
    LabError,
    "seeds",
  );
  const r = reattachmentParams("smoke");
  r.arithmetic.harness = { kind: "plan_solve", segment_length: 0 };
  assertThrows(() => harnessConfig(r, "arithmetic"), LabError, "segment_length must be at least 1");
});
