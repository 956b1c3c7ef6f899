/**
 * A model's answer to fact queries: one forward pass, the most likely value
 * digit at the last prompt position (greedy, restricted to the ten digits, so
 * chance is the table's constant-guess rate). Prompts are batched by length
 * (a sheet of fixed size gives one length), so no padding is ever attended to.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { answerFacts } from "./fact_answers.ts";
 * import { Gpt } from "../model/gpt.ts";
 * import { parseGptConfig } from "../model/config.ts";
 * import { Rng } from "../core/rng.ts";
 * import { VOCAB_SIZE } from "../tasks/tokenizer.ts";
 * import { selectBackend } from "../core/backend.ts";
 * await selectBackend({ prefer: "cpu", quiet: true });
 * const m = Gpt.init(parseGptConfig({ vocab_size: VOCAB_SIZE, block_size: 16, n_layer: 1, n_embd: 16, n_head: 2 }), new Rng(0));
 * const out = answerFacts(m, ["^ab=", "^[ab=3]ab="]);
 * assertEquals(out.map((a) => /^[0-9]$/.test(a)), [true, true]);
 * m.dispose();
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import type { Gpt } from "../model/gpt.ts";
import { digitId, encode } from "../tasks/tokenizer.ts";

/** The greedy digit answer of each prompt, in input order. */
export function answerFacts(model: Gpt, prompts: readonly string[], batchSize = 256): string[] {
  return rankFacts(model, prompts, batchSize).map((r) => r.digits[0]);
}

/** Digits of one prompt from most to least likely, and the top digit's probability among the ten. */
export interface FactRanking {
  digits: string[];
  confidence: number;
}

/** Each prompt's digits ranked by the model (one forward pass per batch), in input order. */
export function rankFacts(model: Gpt, prompts: readonly string[], batchSize = 256): FactRanking[] {
  const out = new Array<FactRanking>(prompts.length);
  const byLen = new Map<number, number[]>();
  prompts.forEach((p, i) => byLen.set(p.length, [...(byLen.get(p.length) ?? []), i]));
  const digits = Array.from({ length: 10 }, (_, d) => digitId(d));
  for (const [T, idx] of byLen) {
    for (let s = 0; s < idx.length; s += batchSize) {
      const chunk = idx.slice(s, s + batchSize);
      const probs = tf.tidy(() => {
        const ids = tf.tensor2d(chunk.map((i) => encode(prompts[i])), [chunk.length, T], "int32");
        const last = tf.squeeze(tf.slice(model.logits(ids), [0, T - 1, 0], [chunk.length, 1, -1]), [1]);
        return tf.softmax(tf.gather(last, digits, 1));
      });
      const p = probs.dataSync();
      probs.dispose();
      chunk.forEach((i, j) => {
        const row = Array.from(p.subarray(j * 10, j * 10 + 10));
        // ties broken by the smaller digit, so the ranking is deterministic
        const order = row.map((_, d) => d).sort((a, b) => row[b] - row[a] || a - b);
        out[i] = { digits: order.map(String), confidence: row[order[0]] };
      });
    }
  }
  return out;
}
