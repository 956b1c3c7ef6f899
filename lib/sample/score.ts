/**
 * Scoring: log-probs of given continuations under given contexts, batched in
 * one forward pass per chunk. This is what distillation needs: the same
 * response tokens scored under the student's bare prompt and under the
 * teacher's harness-built (or privileged) context.
 *
 * For item (context c, continuation y), token y_t is predicted at position
 * |c| + t - 1 of the sequence c ++ y. Rows are right-padded; causal attention
 * means padding never affects the scored positions. Each chunk is one forward
 * pass and one log-softmax over all its positions (one fused kernel with the
 * native kernels), read back in one copy; full distributions are views into
 * that chunk's buffer, not copies per token.
 */
import * as tf from "@tensorflow/tfjs";
import type { Gpt } from "../model/gpt.ts";
import { pickTargets } from "../model/pick_targets.ts";
import { LabError } from "../core/errors.ts";

export interface ScoreItem {
  context: number[];
  continuation: number[];
}

export interface Scores {
  /** log p(y_t | c, y_<t) for each item and continuation token. */
  logProbs: number[][];
  /**
   * When `full`: the whole next-token log-distribution [item][t] -> Float32Array(V), a view into its
   * chunk's buffer (copy it to keep one row without the rest).
   */
  distributions?: Float32Array[][];
}

/** Score continuations; `full` also returns every next-token distribution. */
export function scoreContinuations(
  model: Gpt,
  items: ScoreItem[],
  opts: { full?: boolean; batchSize?: number } = {},
): Scores {
  const V = model.config.vocab_size;
  const bs = opts.batchSize ?? 64;
  const logProbs: number[][] = [];
  const distributions: Float32Array[][] | undefined = opts.full ? [] : undefined;
  for (let s = 0; s < items.length; s += bs) {
    const chunk = items.slice(s, s + bs);
    // Row i: inputs c ++ y without its last token, targets the same sequence shifted by one.
    const seqs = chunk.map((it, i) => {
      if (it.context.length === 0) {
        throw new LabError(
          `scoreContinuations: item ${s + i} has an empty context`,
          "start contexts with BOS",
        );
      }
      return [...it.context, ...it.continuation];
    });
    const T = Math.max(...seqs.map((q) => q.length - 1));
    if (T > model.config.block_size) {
      throw new LabError(`scoreContinuations: ${T + 1} tokens exceed block_size ${model.config.block_size}`);
    }
    const pad = (q: number[]) => [...q, ...new Array(T - q.length).fill(0)];
    const ids = tf.tensor2d(seqs.map((q) => pad(q.slice(0, -1))), [chunk.length, T], "int32");
    const targets = tf.tensor2d(seqs.map((q) => pad(q.slice(1))), [chunk.length, T], "int32");
    const dist = distributions ? model.nextTokenLogProbs(ids) : undefined; // [N, T, V]
    const pickedT = dist ? pickTargets(dist, targets) : model.targetLogProbs(ids, targets); // [N, T]
    const picked = pickedT.dataSync() as Float32Array;
    const lp = dist?.dataSync() as Float32Array | undefined;
    tf.dispose([ids, targets, pickedT, ...(dist ? [dist] : [])]);
    chunk.forEach((it, i) => {
      const at = (t: number) => i * T + it.context.length - 1 + t;
      logProbs.push(it.continuation.map((_, t) => picked[at(t)]));
      distributions?.push(it.continuation.map((_, t) => lp!.subarray(at(t) * V, at(t) * V + V)));
    });
  }
  return { logProbs, distributions };
}
