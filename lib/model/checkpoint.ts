/**
 * Model directories: `model.safetensors` + `config.json`, with nanoGPT's tensor
 * names and PyTorch layouts (so `torch` can `load_state_dict` them strictly;
 * tests/reference/gpt_torch.py does). Written atomically; loading checks the
 * config, every expected tensor's presence and shape, and the lm_head tie.
 */
import { LabError } from "../core/errors.ts";
import { readJsonFile } from "../core/config.ts";
import { writeDirAtomic } from "../core/atomic.ts";
import { type GptConfig, parseGptConfig } from "./config.ts";
import { expectedShapes, type StateDict } from "./state_dict.ts";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";

/** Write `dir/model.safetensors` and `dir/config.json` atomically. */
export async function saveModelDir(
  dir: string,
  config: GptConfig,
  sd: StateDict,
  metadata: Record<string, string> = {},
): Promise<void> {
  const expected = expectedShapes(config);
  const ordered: StateDict = new Map();
  for (const [name, shape] of expected) {
    const t = sd.get(name);
    if (!t || t.shape.join(",") !== shape.join(",")) {
      throw new Error(`saveModelDir: tensor '${name}' missing or not [${shape}]`);
    }
    ordered.set(name, t);
  }
  await writeDirAtomic(dir, async (tmp) => {
    await Deno.writeFile(
      `${tmp}/model.safetensors`,
      encodeSafetensors(ordered, { format: "pt", ...metadata }),
    );
    await Deno.writeTextFile(`${tmp}/config.json`, JSON.stringify(config, null, 2) + "\n");
  });
}

/** Load and validate a model directory. */
export async function loadModelDir(
  dir: string,
): Promise<{ config: GptConfig; stateDict: StateDict; metadata: Record<string, string> }> {
  const cfgPath = `${dir}/config.json`, stPath = `${dir}/model.safetensors`;
  try {
    await Deno.stat(dir);
  } catch {
    throw new LabError(
      `model directory not found: ${dir}`,
      "pass a directory holding model.safetensors and config.json (train prints it)",
    );
  }
  const config = parseGptConfig(await readJsonFile(cfgPath), cfgPath);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(stPath);
  } catch {
    throw new LabError(
      `missing ${stPath}`,
      "the model directory is incomplete; retrain or copy the whole directory",
    );
  }
  const { tensors, metadata } = decodeSafetensors(bytes, stPath);
  const fix = `${stPath} does not match ${cfgPath}; the checkpoint is from a different config, or damaged`;
  const expected = expectedShapes(config);
  for (const [name, shape] of expected) {
    const t = tensors.get(name);
    if (!t) throw new LabError(`${stPath}: missing tensor '${name}'`, fix);
    if (t.shape.join(",") !== shape.join(",")) {
      throw new LabError(`${stPath}: tensor '${name}' is [${t.shape}], config expects [${shape}]`, fix);
    }
  }
  for (const name of tensors.keys()) {
    if (!expected.has(name)) throw new LabError(`${stPath}: unexpected tensor '${name}'`, fix);
  }
  const wte = tensors.get("transformer.wte.weight")!.data, head = tensors.get("lm_head.weight")!.data;
  if (!wte.every((v, i) => v === head[i])) {
    throw new LabError(
      `${stPath}: lm_head.weight differs from transformer.wte.weight, but the model ties them`,
      "save lm_head tied to wte (nanoGPT's default)",
    );
  }
  return { config, stateDict: tensors, metadata };
}
