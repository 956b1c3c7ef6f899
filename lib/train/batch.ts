/**
 * Turn (prompt, target) token sequences into a next-token training batch:
 * ids = seq[:-1], targets = seq[1:], weight 1 where the target is a target
 * token (the prompt is context only, as in SFT on completions), 0 on the prompt
 * and on right padding.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { buildBatch } from "./batch.ts";
 * const b = buildBatch([{ prompt: [1, 5], target: [7, 2] }], 4);
 * assertEquals(b.ids, [[1, 5, 7]]); // inputs: the sequence without its last token
 * assertEquals(b.targets, [[5, 7, 2]]); // next tokens
 * assertEquals(b.weights, [[0, 1, 1]]); // only the target's tokens are trained on
 * ```
 */
import { LabError } from "../core/errors.ts";

export interface TokenPair {
  prompt: number[];
  target: number[];
}

export interface Batch {
  ids: number[][];
  targets: number[][];
  weights: number[][];
  /** Unpadded length of each row (tokens fed). */
  lengths: number[];
}

/** Pad to the longest row (at most `maxLen` inputs). PAD id is 0. */
export function buildBatch(pairs: TokenPair[], maxLen: number): Batch {
  const seqLens = pairs.map((p) => p.prompt.length + p.target.length - 1);
  const T = Math.max(...seqLens);
  if (T > maxLen) {
    throw new LabError(
      `batch row of ${T + 1} tokens exceeds block_size ${maxLen}`,
      "raise block_size or lower the max level",
    );
  }
  const ids: number[][] = [], targets: number[][] = [], weights: number[][] = [];
  for (const { prompt, target } of pairs) {
    if (prompt.length === 0 || target.length === 0) throw new LabError("buildBatch: empty prompt or target");
    const seq = [...prompt, ...target];
    const row = new Array(T).fill(0), tgt = new Array(T).fill(0), w = new Array(T).fill(0);
    for (let t = 0; t < seq.length - 1; t++) {
      row[t] = seq[t];
      tgt[t] = seq[t + 1];
      w[t] = t + 1 >= prompt.length ? 1 : 0;
    }
    ids.push(row);
    targets.push(tgt);
    weights.push(w);
  }
  return { ids, targets, weights, lengths: seqLens };
}
