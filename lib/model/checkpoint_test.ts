import { assertEquals, assertRejects } from "@std/assert";
import { loadModelDir, saveModelDir } from "./checkpoint.ts";
import { tinyModel, useWasm } from "../../tests/helpers/tiny.ts";
import { LabError } from "../core/errors.ts";
import { encodeSafetensors } from "./safetensors.ts";

await useWasm();

Deno.test("model dir round trip: config and every tensor", async () => {
  const m = tinyModel({ position: "rotary" });
  const dir = `${await Deno.makeTempDir()}/model`;
  await saveModelDir(dir, m.config, m.stateDict(), { note: "x" });
  const { config, stateDict, metadata } = await loadModelDir(dir);
  assertEquals(config, m.config);
  for (const [k, t] of m.stateDict()) assertEquals(stateDict.get(k), t);
  assertEquals(metadata.note, "x");
  m.dispose();
});

Deno.test("bad model dirs are LabErrors naming the file and the problem", async () => {
  const m = tinyModel();
  const dir = `${await Deno.makeTempDir()}/model`;
  await saveModelDir(dir, m.config, m.stateDict());
  await assertRejects(() => loadModelDir(`${dir}-nope`), LabError, "model directory not found");
  const cfg = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ ...cfg, n_embd: 32 }));
  await assertRejects(
    () => loadModelDir(dir),
    LabError,
    "tensor 'transformer.wte.weight' is [16,16], config expects [16,32]",
  );
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ ...cfg, n_layers: 2 }));
  await assertRejects(() => loadModelDir(dir), LabError, "unknown field 'n_layers'");
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify(cfg));
  const sd = m.stateDict();
  sd.get("lm_head.weight")!.data[0] += 1;
  await Deno.writeFile(`${dir}/model.safetensors`, encodeSafetensors(sd));
  await assertRejects(
    () => loadModelDir(dir),
    LabError,
    "lm_head.weight differs from transformer.wte.weight",
  );
  sd.delete("transformer.ln_f.bias");
  await Deno.writeFile(`${dir}/model.safetensors`, encodeSafetensors(sd));
  await assertRejects(() => loadModelDir(dir), LabError, "missing tensor 'transformer.ln_f.bias'");
  m.dispose();
});

Deno.test("a failed save leaves the previous model dir intact", async () => {
  const m = tinyModel();
  const dir = `${await Deno.makeTempDir()}/model`;
  await saveModelDir(dir, m.config, m.stateDict());
  const before = await Deno.readFile(`${dir}/model.safetensors`);
  const broken = m.stateDict();
  broken.delete("transformer.h.1.mlp.c_fc.weight");
  await assertRejects(() => saveModelDir(dir, m.config, broken), Error, "c_fc.weight");
  assertEquals(await Deno.readFile(`${dir}/model.safetensors`), before);
  m.dispose();
});
