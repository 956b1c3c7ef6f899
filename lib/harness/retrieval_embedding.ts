/**
 * Retrieval by cosine over the model's own embeddings of bare prompts: the
 * final layer's hidden states (after ln_f), mean-pooled over the prompt's
 * tokens after BOS (body and cue), normalised to unit length. The reference
 * (OPHSD code) embeds with a separate sentence encoder; a tiny lab model has
 * none, so it embeds with itself, and the embeddings of a bank belong to the
 * model that computed them: an `EmbeddingRetriever` is made for one model and
 * keeps, per bank, the embeddings of the entries it has seen (new entries are
 * embedded when the bank has grown).
 *
 * Speed at 10^5 entries: embeddings live in one [d, N] tensor per bank
 * (rebuilt only when the bank grew) and a batch of queries is one plain
 * [Q, d] x [d, N] matmul; selection is `topK` over each row.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { meanPoolNormalised } from "./retrieval_embedding.ts";
 * // two rows of T = 3 positions, C = 2: pool positions 1..2 of each row, then unit length
 * const pooled = meanPoolNormalised(Float32Array.from([9, 9, 3, 0, 1, 0, 9, 9, 0, 2, 0, 4]), 2, 3, 2);
 * assertEquals([...pooled], [1, 0, 0, 1]);
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import type { Gpt } from "../model/gpt.ts";
import { encode } from "../tasks/tokenizer.ts";
import type { MemoryBank, Retriever } from "./memory_bank.ts";

/** Mean over positions 1..T-1 of each row of hidden [B, T, C], scaled to unit length: [B * C]. */
export function meanPoolNormalised(hidden: Float32Array, B: number, T: number, C: number): Float32Array {
  const out = new Float32Array(B * C);
  for (let b = 0; b < B; b++) {
    const row = out.subarray(b * C, (b + 1) * C);
    for (let t = 1; t < T; t++) {
      const h = hidden.subarray((b * T + t) * C, (b * T + t + 1) * C);
      for (let c = 0; c < C; c++) row[c] += h[c];
    }
    let n = 0;
    for (let c = 0; c < C; c++) n += row[c] * row[c];
    n = Math.sqrt(n) || 1;
    for (let c = 0; c < C; c++) row[c] /= n;
  }
  return out;
}

/** Unit-length pooled embeddings of bare prompts, [prompts.length * n_embd], batched by length. */
export function embedPrompts(model: Gpt, prompts: readonly string[], batchSize = 256): Float32Array {
  const C = model.config.n_embd;
  const out = new Float32Array(prompts.length * C);
  const byLength = new Map<number, number[]>();
  prompts.forEach((p, i) => {
    const list = byLength.get(p.length);
    if (list) list.push(i);
    else byLength.set(p.length, [i]);
  });
  for (const [T, idx] of byLength) {
    for (let s = 0; s < idx.length; s += batchSize) {
      const chunk = idx.slice(s, s + batchSize);
      const ids = tf.tensor2d(chunk.map((i) => encode(prompts[i])), [chunk.length, T], "int32");
      const h = model.hiddenStates(ids);
      const pooled = meanPoolNormalised(h.dataSync() as Float32Array, chunk.length, T, C);
      tf.dispose([ids, h]);
      chunk.forEach((i, j) => out.set(pooled.subarray(j * C, (j + 1) * C), i * C));
    }
  }
  return out;
}

/**
 * Unit vectors of d dims, growable, scored against a batch of query vectors by
 * one [Q, d] x [d, N] matmul (the [d, N] tensor is rebuilt only after growth).
 */
export class EmbeddingIndex {
  #n = 0;
  #data = new Float32Array(0);
  #matrix?: tf.Tensor2D;

  constructor(readonly dims: number) {}

  get size(): number {
    return this.#n;
  }

  /** Append vectors, [count * dims] row-major. */
  add(vectors: Float32Array): void {
    const count = vectors.length / this.dims;
    const data = new Float32Array((this.#n + count) * this.dims);
    data.set(this.#data.subarray(0, this.#n * this.dims));
    data.set(vectors, this.#n * this.dims);
    this.#data = data;
    this.#n += count;
    this.#matrix?.dispose();
    this.#matrix = undefined;
  }

  /** Dot products of each query vector ([Q * dims]) with every entry: one Float32Array(size) per query. */
  scores(queries: Float32Array): Float32Array[] {
    const Q = queries.length / this.dims, n = this.#n;
    if (n === 0) return Array.from({ length: Q }, () => new Float32Array(0));
    this.#matrix ??= tf.tidy(() => tf.transpose(tf.tensor2d(this.#data, [n, this.dims])) as tf.Tensor2D);
    // dataSync outside tf.tidy: inside it, reading 12.8M floats took 50 s instead of 0.5 s on wasm.
    const q = tf.tensor2d(queries, [Q, this.dims]), product = tf.matMul(q, this.#matrix);
    const flat = product.dataSync() as Float32Array;
    tf.dispose([q, product]);
    return Array.from({ length: Q }, (_, i) => flat.slice(i * n, (i + 1) * n));
  }

  dispose(): void {
    this.#matrix?.dispose();
    this.#matrix = undefined;
  }
}

/** Cosine retrieval over `model`'s embeddings; call `dispose()` when done. */
export class EmbeddingRetriever implements Retriever {
  readonly name = "embedding";
  readonly #banks = new WeakMap<MemoryBank, EmbeddingIndex>();
  readonly #indexes: EmbeddingIndex[] = [];
  #disposed = false;

  constructor(readonly model: Gpt) {}

  scores(bank: MemoryBank, queries: readonly string[]): Float32Array[] {
    if (this.#disposed) throw new Error("EmbeddingRetriever used after dispose()");
    let index = this.#banks.get(bank);
    if (!index) {
      index = new EmbeddingIndex(this.model.config.n_embd);
      this.#banks.set(bank, index);
      this.#indexes.push(index);
    }
    if (index.size < bank.size) index.add(embedPrompts(this.model, bank.prompts(index.size)));
    return index.scores(embedPrompts(this.model, queries));
  }

  /** Free the tensors this retriever holds. */
  dispose(): void {
    this.#indexes.forEach((i) => i.dispose());
    this.#disposed = true;
  }
}
