/**
 * TF-IDF retrieval over a bag of (position, character) features of a bare
 * prompt's body (for precedent prompts: (slot, letter), so a letter reused by
 * two slots is two features). Cosine similarity with binary term frequency
 * and smoothed inverse document frequency, as scikit-learn's default:
 *
 *   idf(f) = ln((1 + N) / (1 + df(f))) + 1,   cos(q, e) = Σ_{f ∈ q ∩ e} idf(f)² / (|q| |e|),
 *   |x| = sqrt(Σ_{f ∈ x} idf(f)²),
 *
 * with N the entries in the index and df(f) how many hold f. The index is an
 * inverted one (feature -> entry ids) that grows with the bank, so a query
 * touches only the entries sharing a feature with it; entry norms are
 * recomputed lazily when the bank has grown (idf depends on N).
 *
 * The reference (OPHSD code) falls back to TF-IDF over words when embeddings
 * are unavailable; here the "words" are (slot, letter) pairs.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { TfidfIndex } from "./retrieval_tfidf.ts";
 * const index = new TfidfIndex();
 * index.add(["^ab?", "^ac?"]);
 * const [s] = index.scores(["^ab?"]);
 * assertEquals(s[0].toFixed(4), "1.0000"); // identical
 * // shared feature (0,a) has df 2 -> idf 1; (1,b), (1,c) have df 1 -> idf ln(3/2)+1 = 1.405
 * assertEquals(s[1].toFixed(4), (1 / (1 + 1.4055 ** 2)).toFixed(4));
 * ```
 */
import { encode, VOCAB_SIZE } from "../tasks/tokenizer.ts";

/** Feature ids of a bare prompt's body: position * VOCAB_SIZE + token id (BOS and the final cue dropped). */
export function promptFeatures(prompt: string): number[] {
  const body = encode(prompt.slice(1, -1));
  return body.map((id, pos) => pos * VOCAB_SIZE + id);
}

/** A growable inverted index over prompt features. */
export class TfidfIndex {
  #features: number[][] = [];
  #postings = new Map<number, number[]>();
  #norms = new Float64Array(0);
  #normsFor = -1; // the N the norms were computed for

  get size(): number {
    return this.#features.length;
  }

  /** Append entries (their ids continue from the current size). */
  add(prompts: readonly string[]): void {
    for (const p of prompts) {
      const id = this.#features.length;
      const fs = promptFeatures(p);
      this.#features.push(fs);
      for (const f of fs) {
        const list = this.#postings.get(f);
        if (list) list.push(id);
        else this.#postings.set(f, [id]);
      }
    }
  }

  /** idf of a feature at the current size. */
  idf(feature: number): number {
    const df = this.#postings.get(feature)?.length ?? 0;
    return Math.log((1 + this.size) / (1 + df)) + 1;
  }

  #entryNorms(): Float64Array {
    if (this.#normsFor === this.size) return this.#norms;
    const idfCache = new Map<number, number>();
    const idf = (f: number) => {
      let v = idfCache.get(f);
      if (v === undefined) idfCache.set(f, v = this.idf(f));
      return v;
    };
    const norms = new Float64Array(this.size);
    this.#features.forEach((fs, i) => {
      let s = 0;
      for (const f of fs) s += idf(f) ** 2;
      norms[i] = Math.sqrt(s);
    });
    this.#norms = norms;
    this.#normsFor = this.size;
    return norms;
  }

  /** Cosine similarity of each query to every entry: one Float32Array(size) per query. */
  scores(queries: readonly string[]): Float32Array[] {
    const norms = this.#entryNorms();
    return queries.map((q) => {
      const out = new Float32Array(this.size);
      const fs = promptFeatures(q);
      let qn = 0;
      for (const f of fs) {
        const w = this.idf(f) ** 2;
        qn += w;
        const list = this.#postings.get(f);
        if (list) { for (const e of list) out[e] += w; }
      }
      qn = Math.sqrt(qn);
      for (let e = 0; e < out.length; e++) if (out[e] > 0) out[e] /= qn * norms[e];
      return out;
    });
  }
}
