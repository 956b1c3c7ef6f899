/**
 * Model directories: `model.safetensors` + `config.json`, with nanoGPT's tensor
 * names and PyTorch layouts ([out, in] Linear weights, lm_head.weight stored
 * beside wte as nanoGPT's `state_dict()` lists it), so PyTorch can
 * `load_state_dict` them strictly (tests/reference/gpt_torch.py does).
 *
 * Saving builds the directory in a temporary sibling and renames it into place
 * (lib/core/atomic.ts), so a reader sees the old directory or the new one, never
 * a mix. Loading validates config.json, every expected tensor's presence and
 * shape, that no unexpected tensor is present, and the lm_head/wte tie; every
 * problem is a LabError naming the file and what to do.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { loadModelDir, saveModelDir } from "./checkpoint.ts";
 * import { parseGptConfig } from "./config.ts";
 * import { expectedShapes } from "./state_dict.ts";
 * const config = parseGptConfig({ vocab_size: 4, block_size: 4, n_layer: 1, n_head: 1, n_embd: 2 });
 * const sd = new Map([...expectedShapes(config)].map(([name, shape]) => [
 *   name,
 *   { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) },
 * ]));
 * const root = await Deno.makeTempDir();
 * const dir = `${root}/model`;
 * await saveModelDir(dir, config, sd, { note: "zeros" });
 * const loaded = await loadModelDir(dir);
 * assertEquals([loaded.metadata.note, loaded.config.n_embd], ["zeros", 2]);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
import { LabError } from "../core/errors.ts";
import { readJsonFile } from "../core/config.ts";
import { writeDirAtomic } from "../core/atomic.ts";
import { type GptConfig, parseGptConfig } from "./config.ts";
import { expectedShapes, type StateDict } from "./state_dict.ts";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";

/** What a model directory holds once loaded. */
export interface ModelDir {
  config: GptConfig;
  /** Tensors in nanoGPT order (expectedShapes order). */
  stateDict: StateDict;
  /** The safetensors `__metadata__` (always has format: "pt"). */
  metadata: Record<string, string>;
}

const same = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** Bitwise equality (so identical NaNs count as equal and -0 differs from 0). */
function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length),
    y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function listed(kind: string, names: string[]): string {
  const shown = names.slice(0, 6).map((n) => `'${n}'`).join(", ");
  return `${kind} ${shown}${names.length > 6 ? ` and ${names.length - 6} more` : ""}`;
}

/** Every way `sd` departs from what `config` expects, as phrases; empty when it matches. */
function mismatches(config: GptConfig, sd: StateDict): string[] {
  const expected = expectedShapes(config);
  const missing = [...expected.keys()].filter((n) => !sd.has(n));
  const unexpected = [...sd.keys()].filter((n) => !expected.has(n));
  const problems: string[] = [];
  if (missing.length) problems.push(listed("missing tensors", missing));
  if (unexpected.length) problems.push(listed("unexpected tensors", unexpected));
  for (const [name, shape] of expected) {
    const t = sd.get(name);
    if (t && !same(t.shape, shape)) {
      problems.push(`tensor '${name}' is [${t.shape}], config expects [${shape}]`);
    }
  }
  return problems;
}

function tieBroken(sd: StateDict): boolean {
  return !bitsEqual(sd.get("transformer.wte.weight")!.data, sd.get("lm_head.weight")!.data);
}

/**
 * Write `dir/model.safetensors` and `dir/config.json` atomically, replacing any
 * existing `dir`. `sd` must match `config` exactly (names, shapes, lm_head tied
 * to wte); `extraMetadata` goes into the safetensors `__metadata__` beside
 * `format: "pt"`. On any failure the previous `dir`, if any, is left as it was.
 */
export async function saveModelDir(
  dir: string,
  config: GptConfig,
  sd: StateDict,
  extraMetadata: Record<string, string> = {},
): Promise<void> {
  const cfg = parseGptConfig(config, `saveModelDir(${dir}) config`);
  const problems = mismatches(cfg, sd);
  if (problems.length) {
    throw new Error(`saveModelDir(${dir}): state dict does not match config: ${problems.join("; ")}`);
  }
  if (tieBroken(sd)) {
    throw new Error(`saveModelDir(${dir}): lm_head.weight must equal transformer.wte.weight (tied)`);
  }
  const ordered: StateDict = new Map([...expectedShapes(cfg).keys()].map((n) => [n, sd.get(n)!]));
  await writeDirAtomic(dir, async (tmp) => {
    await Deno.writeTextFile(`${tmp}/config.json`, JSON.stringify(cfg, null, 2) + "\n");
    await Deno.writeFile(
      `${tmp}/model.safetensors`,
      encodeSafetensors(ordered, { format: "pt", ...extraMetadata }),
    );
  });
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new LabError(`cannot read ${path}: ${(e as Error).message}`, "check the path and its permissions");
  }
}

/**
 * Load and validate a model directory written by `saveModelDir` (or by
 * PyTorch with nanoGPT's names, F32 and this config format). Throws LabError
 * naming the file and the problem.
 */
export async function loadModelDir(dir: string): Promise<ModelDir> {
  const cfgPath = `${dir}/config.json`, stPath = `${dir}/model.safetensors`;
  const info = await statOrNull(dir);
  if (!info?.isDirectory) {
    throw new LabError(
      info ? `${dir} is a file, not a model directory` : `model directory not found: ${dir}`,
      "pass a directory holding model.safetensors and config.json (training prints where it saved one)",
    );
  }
  const incomplete =
    "the model directory is incomplete: delete it and retrain, or copy the whole directory again";
  if (!(await statOrNull(cfgPath))) throw new LabError(`missing ${cfgPath}`, incomplete);
  if (!(await statOrNull(stPath))) throw new LabError(`missing ${stPath}`, incomplete);

  const config = parseGptConfig(await readJsonFile(cfgPath), cfgPath);
  const { tensors, metadata } = decodeSafetensors(await Deno.readFile(stPath), stPath);
  const problems = mismatches(config, tensors);
  if (problems.length) {
    throw new LabError(
      `${stPath} does not match ${cfgPath}: ${problems.join("; ")}`,
      "the checkpoint is from a different config (or damaged): restore the config.json saved with it, " +
        "or delete the directory and retrain",
    );
  }
  if (tieBroken(tensors)) {
    throw new LabError(
      `${stPath}: lm_head.weight differs from transformer.wte.weight, but the model ties them (as nanoGPT)`,
      "save with lm_head.weight equal to transformer.wte.weight, or delete the directory and retrain",
    );
  }
  const stateDict: StateDict = new Map([...expectedShapes(config).keys()].map((n) => [n, tensors.get(n)!]));
  return { config, stateDict, metadata };
}
