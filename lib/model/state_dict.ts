/**
 * A state dict: named float32 tensors in nanoGPT's PyTorch layout (Linear
 * weights are [out_features, in_features]), in the order nanoGPT's
 * `model.state_dict()` lists them. This is the interchange format between the
 * tfjs model (which stores Linear weights transposed, [in, out], to avoid slow
 * transposed matmuls on wasm), safetensors files, and reference implementations.
 */
import type { GptConfig } from "./config.ts";
import { mlpWidth } from "./config.ts";

export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

export type StateDict = Map<string, NamedTensor>;

/** Expected tensor names and PyTorch shapes for a config, in nanoGPT order. */
export function expectedShapes(c: GptConfig): Map<string, number[]> {
  const C = c.n_embd, V = c.vocab_size, F = mlpWidth(c);
  const m = new Map<string, number[]>();
  m.set("transformer.wte.weight", [V, C]);
  if (c.position === "learned") m.set("transformer.wpe.weight", [c.block_size, C]);
  for (let i = 0; i < c.n_layer; i++) {
    const p = `transformer.h.${i}`;
    m.set(`${p}.ln_1.weight`, [C]);
    if (c.bias) m.set(`${p}.ln_1.bias`, [C]);
    m.set(`${p}.attn.c_attn.weight`, [3 * C, C]);
    if (c.bias) m.set(`${p}.attn.c_attn.bias`, [3 * C]);
    m.set(`${p}.attn.c_proj.weight`, [C, C]);
    if (c.bias) m.set(`${p}.attn.c_proj.bias`, [C]);
    m.set(`${p}.ln_2.weight`, [C]);
    if (c.bias) m.set(`${p}.ln_2.bias`, [C]);
    m.set(`${p}.mlp.c_fc.weight`, [F, C]);
    if (c.bias) m.set(`${p}.mlp.c_fc.bias`, [F]);
    m.set(`${p}.mlp.c_proj.weight`, [C, F]);
    if (c.bias) m.set(`${p}.mlp.c_proj.bias`, [C]);
  }
  m.set("transformer.ln_f.weight", [C]);
  if (c.bias) m.set("transformer.ln_f.bias", [C]);
  // nanoGPT ties lm_head.weight to wte; its state_dict lists both keys.
  m.set("lm_head.weight", [V, C]);
  return m;
}
