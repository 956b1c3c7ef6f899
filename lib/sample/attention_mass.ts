/**
 * Attention mass on a span of the prompt: for each prompt, the attention
 * probability the last position (where the answer is predicted) puts on the
 * tokens [start, end), per layer and head, from a diagnostic forward pass
 * (Gpt.attentionProbs, the stock tfjs path). A diagnostic in the spirit of
 * attention-based attribution (e.g. "attention to the retrieved passage");
 * attention weights are not an explanation by themselves (Jain & Wallace
 * 2019), so notebooks read them next to behavioural probes.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { attentionMass } from "./attention_mass.ts";
 * import { Gpt } from "../model/gpt.ts";
 * import { parseGptConfig } from "../model/config.ts";
 * import { Rng } from "../core/rng.ts";
 * import { VOCAB_SIZE } from "../tasks/tokenizer.ts";
 * import { selectBackend } from "../core/backend.ts";
 * await selectBackend({ prefer: "cpu", quiet: true });
 * const m = Gpt.init(parseGptConfig({ vocab_size: VOCAB_SIZE, block_size: 16, n_layer: 1, n_embd: 8, n_head: 2 }), new Rng(0));
 * const [all] = attentionMass(m, ["^ab=3ab="], [{ start: 0, end: 8 }]); // the whole prompt
 * assertEquals(all.map((x) => Math.round(x * 1e5) / 1e5), [1, 1]); // a layer x head row sums to 1
 * m.dispose();
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import type { Gpt } from "../model/gpt.ts";
import { encode } from "../tasks/tokenizer.ts";

/** Token positions [start, end) of a prompt. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Per prompt, the last position's attention mass on its span, one number per
 * (layer, head), layer-major: index layer * n_head + head.
 */
export function attentionMass(
  model: Gpt,
  prompts: readonly string[],
  spans: readonly Span[],
  batchSize = 128,
): number[][] {
  if (spans.length !== prompts.length) {
    throw new Error(
      `attentionMass: ${prompts.length} prompts but ${spans.length} spans; give one span per prompt`,
    );
  }
  const H = model.config.n_head, L = model.config.n_layer;
  const out = new Array<number[]>(prompts.length);
  const byLen = new Map<number, number[]>();
  prompts.forEach((p, i) => {
    const s = spans[i];
    if (!(0 <= s.start && s.start < s.end && s.end <= p.length)) {
      throw new Error(
        `attentionMass: span [${s.start}, ${s.end}) does not fit prompt ${i} of ${p.length} tokens`,
      );
    }
    byLen.set(p.length, [...(byLen.get(p.length) ?? []), i]);
  });
  for (const [T, idx] of byLen) {
    for (let s = 0; s < idx.length; s += batchSize) {
      const chunk = idx.slice(s, s + batchSize);
      const ids = tf.tensor2d(chunk.map((i) => encode(prompts[i])), [chunk.length, T], "int32");
      const layers = model.attentionProbs(ids);
      // The last query row of every layer: [B, H, T] each.
      const rows = layers.map((a) => {
        const r = tf.slice(a, [0, 0, T - 1, 0], [chunk.length, H, 1, T]);
        const d = r.dataSync() as Float32Array;
        r.dispose();
        return d;
      });
      ids.dispose();
      layers.forEach((a) => a.dispose());
      chunk.forEach((i, b) => {
        const { start, end } = spans[i];
        const masses: number[] = [];
        for (let l = 0; l < L; l++) {
          for (let h = 0; h < H; h++) {
            const base = (b * H + h) * T;
            let m = 0;
            for (let t = start; t < end; t++) m += rows[l][base + t];
            masses.push(m);
          }
        }
        out[i] = masses;
      });
    }
  }
  return out;
}
