import { z } from "zod";
import { assertEquals, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
import { loadConfigFile, parseConfig } from "./config.ts";
import { LabError } from "./errors.ts";

const Schema = z.strictObject({
  lr: z.number().positive().default(1e-3),
  model: z.strictObject({ n_layer: z.number().int().default(2) }).default({ n_layer: 2 }),
});

Deno.test("defaults fill missing fields", () => {
  assertEquals(parseConfig(Schema, {}, "cfg"), { lr: 1e-3, model: { n_layer: 2 } });
});

Deno.test("wrong type names the field path and the value given", () => {
  const e = assertThrows(() => parseConfig(Schema, { model: { n_layer: "two" } }, "cfg.json"), LabError);
  assertStringIncludes(e.message, "cfg.json is invalid");
  assertStringIncludes(e.message, "field 'model.n_layer'");
  assertStringIncludes(e.message, '(got "two")');
});

Deno.test("unknown nested field is named with the allowed ones", () => {
  const e = assertThrows(() => parseConfig(Schema, { model: { n_layers: 3 } }, "cfg"), LabError);
  assertStringIncludes(e.message, "unknown field 'model.n_layers' (allowed: n_layer)");
});

Deno.test("loadConfigFile: missing file and bad JSON are named", async () => {
  await assertRejects(
    () => loadConfigFile(Schema, "/nonexistent/x.json"),
    LabError,
    "file not found: /nonexistent/x.json",
  );
  const p = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(p, "{ lr: 1 }");
  await assertRejects(() => loadConfigFile(Schema, p), LabError, `${p} is not valid JSON`);
  await Deno.remove(p);
});
