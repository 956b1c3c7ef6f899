/**
 * Top-k selection over a dense score array with an acceptance filter: the
 * shared last step of every retriever. Ties break toward the lower index
 * (the older bank entry), so retrieval is deterministic.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { topK } from "./top_k.ts";
 * const scores = Float32Array.from([0.2, 0.9, 0.5, 0.9]);
 * assertEquals(topK(scores, 2).map((h) => h.index), [1, 3]);
 * assertEquals(topK(scores, 2, (i) => i % 2 === 0).map((h) => h.index), [2, 0]);
 * ```
 */

export interface Hit {
  /** Index of the bank entry. */
  index: number;
  /** Its similarity to the query. */
  score: number;
}

/** The k best (score descending, index ascending on ties) among indices that `accept` admits. */
export function topK(scores: ArrayLike<number>, k: number, accept?: (index: number) => boolean): Hit[] {
  if (k <= 0) return [];
  // A small sorted buffer: k is 5-10 here, so insertion beats a heap.
  const best: Hit[] = [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (best.length === k && s <= best[k - 1].score) continue;
    if (accept && !accept(i)) continue;
    let j = best.length;
    while (j > 0 && best[j - 1].score < s) j--;
    best.splice(j, 0, { index: i, score: s });
    if (best.length > k) best.pop();
  }
  return best;
}
