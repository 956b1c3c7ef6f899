/**
 * Batched autoregressive generation with a KV cache.
 *
 * Rows may have prompts of different lengths: the common prefix is prefilled in
 * one forward pass, then each step feeds one token per row — the row's next
 * prompt token while it still has one (teacher forcing), otherwise a sampled
 * token. All rows thus share positions, so no left-padding or per-row position
 * ids are needed, at the cost of a few extra incremental steps.
 *
 * Sampling is deterministic by construction (as nanochat): temperature 0 is
 * argmax; otherwise each row draws from its own generator forked from `rng`, so
 * a row's samples do not depend on which other rows share its batch.
 * Returned log-probs are of the chosen tokens under the distribution actually
 * sampled from (temperature-scaled, top-k renormalised); at temperature 0, under
 * the model's raw distribution.
 */
import * as tf from "@tensorflow/tfjs";
import type { Gpt } from "../model/gpt.ts";
import { disposeCache, keepCacheRows } from "../model/gpt.ts";
import { Rng } from "../core/rng.ts";
import { LabError } from "../core/errors.ts";

export interface GenerateOptions {
  /** Most tokens to generate per row (stop token included). */
  maxNewTokens: number;
  /** 0 = greedy. */
  temperature: number;
  /** Keep only the k most likely tokens (0 or undefined = all). */
  topK?: number;
  /** Generation of a row ends after it emits one of these. */
  stopTokens?: number[];
  rng: Rng;
}

export interface Generation {
  /** New tokens per row (including the stop token when one was emitted). */
  tokens: number[][];
  /** Log-prob of each new token, aligned with `tokens`. */
  logProbs: number[][];
  /** Whether each row emitted a stop token. */
  stopped: boolean[];
}

/** Sample continuations for a batch of prompts. */
export function generate(model: Gpt, prompts: number[][], opts: GenerateOptions): Generation {
  const B = prompts.length;
  if (B === 0) return { tokens: [], logProbs: [], stopped: [] };
  if (prompts.some((p) => p.length === 0)) {
    throw new LabError("generate: every prompt needs at least one token", "start prompts with BOS");
  }
  if (!(opts.temperature >= 0)) {
    throw new LabError(`generate: temperature must be >= 0, got ${opts.temperature}`);
  }
  const V = model.config.vocab_size;
  const stop = new Set(opts.stopTokens ?? []);
  const lens = prompts.map((p) => p.length);
  const minLen = Math.min(...lens), maxLen = Math.max(...lens);
  const limit = Math.min(maxLen + opts.maxNewTokens, model.config.block_size);
  if (maxLen >= model.config.block_size) {
    throw new LabError(
      `generate: prompt of ${maxLen} tokens leaves no room in block_size ${model.config.block_size}`,
    );
  }
  const base = new Rng(opts.rng.nextUint32());
  const rowRng = prompts.map((_, b) => base.fork(`row:${b}`));

  const tokens: number[][] = prompts.map(() => []);
  const logProbs: number[][] = prompts.map(() => []);
  const done = new Array<boolean>(B).fill(false);
  const stopped = new Array<boolean>(B).fill(false);

  let cache = model.emptyCache(B);
  let input = tf.tensor2d(prompts.map((p) => p.slice(0, minLen)), [B, minLen], "int32");
  let pos = minLen; // length of each row's sequence fed so far
  const scratch = new Float64Array(V);
  // Original row index of each row still in the batch: finished rows are dropped from the batch
  // (and from the KV cache), so the work per step shrinks as rows stop. Every op is row-wise, so
  // the remaining rows' numbers do not change.
  let active = prompts.map((_, b) => b);
  try {
    while (pos <= limit) {
      const out = model.step(input, cache);
      input.dispose();
      cache = out.cache;
      const lp = out.logProbs.dataSync() as Float32Array;
      out.logProbs.dispose();
      if (pos === limit) break;
      const next = new Array<number>(active.length).fill(0);
      active.forEach((b, i) => {
        if (pos < lens[b]) {
          next[i] = prompts[b][pos];
          return;
        }
        if (done[b]) return;
        const row = lp.subarray(i * V, (i + 1) * V);
        const [tok, logp] = pickToken(row, opts.temperature, opts.topK ?? 0, rowRng[b], scratch);
        next[i] = tok;
        tokens[b].push(tok);
        logProbs[b].push(logp);
        if (stop.has(tok)) {
          done[b] = true;
          stopped[b] = true;
        } else if (tokens[b].length >= opts.maxNewTokens) done[b] = true;
      });
      const keep = active.map((b, i) => [b, i]).filter(([b]) => !(done[b] && pos >= lens[b]));
      if (keep.length === 0) break;
      if (keep.length < active.length) {
        cache = keepCacheRows(cache, keep.map(([, i]) => i));
        active = keep.map(([b]) => b);
      }
      input = tf.tensor2d(keep.map(([, i]) => next[i]), [keep.length, 1], "int32");
      pos++;
    }
  } finally {
    disposeCache(cache);
  }
  return { tokens, logProbs, stopped };
}

/** Choose a token from raw log-probs; returns [token, its log-prob under the sampling distribution]. */
export function pickToken(
  logp: ArrayLike<number>,
  temperature: number,
  topK: number,
  rng: Rng,
  scratch = new Float64Array(logp.length),
): [number, number] {
  const V = logp.length;
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < V; i++) if (logp[i] > logp[best]) best = i;
    return [best, logp[best]];
  }
  let cutoff = -Infinity;
  if (topK > 0 && topK < V) cutoff = kthLargest(logp, topK);
  let max = -Infinity;
  for (let i = 0; i < V; i++) {
    scratch[i] = logp[i] >= cutoff ? logp[i] / temperature : -Infinity;
    if (scratch[i] > max) max = scratch[i];
  }
  let sum = 0;
  for (let i = 0; i < V; i++) {
    scratch[i] = Math.exp(scratch[i] - max);
    sum += scratch[i];
  }
  const tok = rng.categorical(scratch.subarray(0, V));
  return [tok, Math.log(scratch[tok] / sum)];
}

function kthLargest(xs: ArrayLike<number>, k: number): number {
  return Array.from(xs).sort((a, b) => b - a)[k - 1];
}
