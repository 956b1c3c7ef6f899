import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { loadModelDir, saveModelDir } from "./checkpoint.ts";
import { type GptConfigInput, parseGptConfig } from "./config.ts";
import { encodeSafetensors } from "./safetensors.ts";
import type { StateDict } from "./state_dict.ts";
import { LabError } from "../core/errors.ts";
import { Rng } from "../core/rng.ts";
import { randomStateDict } from "../../tests/reference/random_weights.ts";

function tiny(over: Partial<GptConfigInput> = {}, seed = 1) {
  const config = parseGptConfig({ vocab_size: 11, block_size: 8, n_layer: 2, n_head: 2, n_embd: 8, ...over });
  return { config, sd: randomStateDict(config, new Rng(seed)) };
}

async function entries(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

async function savedDir(over: Partial<GptConfigInput> = {}) {
  const root = await Deno.makeTempDir();
  const { config, sd } = tiny(over);
  await saveModelDir(`${root}/model`, config, sd);
  return { root, dir: `${root}/model`, config, sd };
}

Deno.test("model dir round trip: config, metadata, every tensor in nanoGPT order", async () => {
  for (const over of [{}, { position: "rotary", bias: false, activation: "relu" }] as const) {
    const { config, sd } = tiny(over);
    const root = await Deno.makeTempDir();
    await saveModelDir(`${root}/model`, config, sd, { note: "x" });
    assertEquals(await entries(`${root}/model`), ["config.json", "model.safetensors"]);
    const got = await loadModelDir(`${root}/model`);
    assertEquals(got.config, config);
    assertEquals(got.stateDict, sd);
    assertEquals(got.metadata, { format: "pt", note: "x" });
    // config.json holds the nanoGPT-style fields, validated on load.
    assertEquals(JSON.parse(await Deno.readTextFile(`${root}/model/config.json`)), config);
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("saving over an existing dir replaces it whole and leaves no temporary siblings", async () => {
  const { root, dir, config } = await savedDir();
  await Deno.writeTextFile(`${dir}/stray.txt`, "from the old dir");
  const v2 = randomStateDict(config, new Rng(99));
  await saveModelDir(dir, config, v2);
  assertEquals(await entries(dir), ["config.json", "model.safetensors"]);
  assertEquals((await loadModelDir(dir)).stateDict, v2);
  assertEquals(await entries(root), ["model"]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("a save that fails midway leaves the previous dir byte-identical", async () => {
  const { root, dir, config } = await savedDir();
  const before = [await Deno.readFile(`${dir}/config.json`), await Deno.readFile(`${dir}/model.safetensors`)];
  const v2 = randomStateDict(config, new Rng(2));
  // config.json is written to the temporary dir first; encoding the tensors then fails.
  await assertRejects(
    () => saveModelDir(dir, config, v2, { step: 3 as unknown as string }),
    Error,
    "metadata 'step' must be a string",
  );
  assertEquals(await Deno.readFile(`${dir}/config.json`), before[0]);
  assertEquals(await Deno.readFile(`${dir}/model.safetensors`), before[1]);
  assertEquals(await entries(root), ["model"]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("a state dict that does not match its config is refused before anything is written", async () => {
  const { root, dir, config, sd } = await savedDir();
  const before = await Deno.readFile(`${dir}/model.safetensors`);
  const broken: StateDict = new Map(sd);
  broken.delete("transformer.h.1.mlp.c_fc.weight");
  broken.set("extra", { shape: [1], data: new Float32Array(1) });
  await assertRejects(
    () => saveModelDir(dir, config, broken),
    Error,
    "missing tensors 'transformer.h.1.mlp.c_fc.weight'; unexpected tensors 'extra'",
  );
  const untied: StateDict = new Map(sd);
  untied.set("lm_head.weight", { shape: [11, 8], data: new Float32Array(88) });
  await assertRejects(() => saveModelDir(dir, config, untied), Error, "lm_head.weight must equal");
  assertEquals(await Deno.readFile(`${dir}/model.safetensors`), before);
  assertEquals(await entries(root), ["model"]);
  await Deno.remove(root, { recursive: true });
});

async function loadError(dir: string): Promise<string> {
  const e = await assertRejects(() => loadModelDir(dir), LabError);
  assertStringIncludes(e.message, "Fix: ");
  return e.message;
}

Deno.test("missing or incomplete dirs are LabErrors naming the path", async () => {
  const { root, dir } = await savedDir();
  assertStringIncludes(await loadError(`${dir}-nope`), `model directory not found: ${dir}-nope`);
  assertStringIncludes(await loadError(`${dir}/config.json`), "is a file, not a model directory");
  await Deno.remove(`${dir}/model.safetensors`);
  const msg = await loadError(dir);
  assertStringIncludes(msg, `missing ${dir}/model.safetensors`);
  assertStringIncludes(msg, "delete it and retrain");
  await Deno.remove(`${dir}/config.json`);
  assertStringIncludes(await loadError(dir), `missing ${dir}/config.json`);
  await Deno.remove(root, { recursive: true });
});

Deno.test("a config.json that is bad or from a different config names the file and the tensors", async () => {
  const { root, dir } = await savedDir();
  const cfg = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
  const cases: [unknown, string[]][] = [
    [{ ...cfg, n_layers: 2 }, [`${dir}/config.json is invalid`, "unknown field 'n_layers'"]],
    [{ ...cfg, n_head: 3 }, [`${dir}/config.json is invalid`, "n_embd 8 must be divisible by n_head 3"]],
    [{ ...cfg, n_embd: 16 }, [
      `${dir}/model.safetensors does not match ${dir}/config.json`,
      "tensor 'transformer.wte.weight' is [11,8], config expects [11,16]",
      "the checkpoint is from a different config",
    ]],
    [{ ...cfg, n_layer: 3 }, ["missing tensors 'transformer.h.2.ln_1.weight'", "and 6 more"]],
    [{ ...cfg, n_layer: 1 }, ["unexpected tensors 'transformer.h.1.ln_1.weight'"]],
    [{ ...cfg, position: "rotary" }, ["unexpected tensors 'transformer.wpe.weight'"]],
    [{ ...cfg, bias: false }, ["unexpected tensors 'transformer.h.0.ln_1.bias'"]],
  ];
  for (const [config, expected] of cases) {
    await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify(config));
    const msg = await loadError(dir);
    for (const part of expected) assertStringIncludes(msg, part);
  }
  await Deno.writeTextFile(`${dir}/config.json`, "{ not json");
  assertStringIncludes(await loadError(dir), `${dir}/config.json is not valid JSON`);
  await Deno.remove(root, { recursive: true });
});

Deno.test("damaged, misshaped or untied tensors name the safetensors file", async () => {
  const { root, dir, sd } = await savedDir();
  const st = `${dir}/model.safetensors`;
  const bytes = await Deno.readFile(st);
  await Deno.writeFile(st, bytes.subarray(0, bytes.length - 10));
  assertStringIncludes(await loadError(dir), `${st}: tensor 'lm_head.weight' ends at byte`);

  const untied = new Map(sd);
  untied.set("lm_head.weight", { shape: [11, 8], data: Float32Array.from(sd.get("lm_head.weight")!.data) });
  untied.get("lm_head.weight")!.data[5] += 1;
  await Deno.writeFile(st, encodeSafetensors(untied));
  assertStringIncludes(await loadError(dir), "lm_head.weight differs from transformer.wte.weight");

  const misshaped = new Map(sd);
  misshaped.set("transformer.h.0.attn.c_attn.weight", { shape: [8, 24], data: new Float32Array(192) });
  await Deno.writeFile(st, encodeSafetensors(misshaped));
  assertStringIncludes(
    await loadError(dir),
    "'transformer.h.0.attn.c_attn.weight' is [8,24], config expects [24,8]",
  );
  await Deno.remove(root, { recursive: true });
});
