/**
 * The GRPO policy-gradient objective per token (DeepSeekMath eq. 3, with
 * DAPO's token-level aggregation as an option):
 *
 *   ratio_t  = exp(logp_t - oldLogp_t)
 *   surr_t   = min(ratio_t * A, clip(ratio_t, 1 - epsLow, 1 + epsHigh) * A)
 *   kl_t     = exp(refLogp_t - logp_t) - (refLogp_t - logp_t) - 1     (k3 estimator, Schulman 2020)
 *   loss     = -mean(surr_t - beta * kl_t)
 *
 * "token" aggregation averages over every response token of the batch (DAPO:
 * long completions weigh more); "sequence" averages within each completion,
 * then over completions (GRPO as published). Clipping off = plain
 * ratio * A. With one inner epoch the old policy is the current one, so ratio
 * is 1 and the gradient is the REINFORCE gradient A * grad logp.
 *
 * `pgLossValue` is the same formula on plain arrays (the reference the tests
 * check by hand, and the tensor version is tested against it); `pgLossTensor`
 * is what the trainer differentiates.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { pgLossValue } from "./pg_loss.ts";
 * const r = pgLossValue({
 *   logp: [[Math.log(0.5)]], oldLogp: [[Math.log(0.5)]], advantages: [2],
 *   clip: null, klCoef: 0, aggregation: "token",
 * });
 * assertEquals(r, { loss: -2, kl: 0, clipFraction: 0 }); // ratio 1, advantage 2
 * ```
 */
import * as tf from "@tensorflow/tfjs";

export interface ClipRange {
  low: number;
  high: number;
}

export interface PgLossInput {
  /** log-prob of each response token under the policy being trained [N][T_i]. */
  logp: number[][];
  /** ... under the policy that sampled it. */
  oldLogp: number[][];
  /** ... under the frozen reference (needed when klCoef > 0). */
  refLogp?: number[][];
  /** One advantage per completion. */
  advantages: number[];
  clip: ClipRange | null;
  klCoef: number;
  aggregation: "token" | "sequence";
}

export interface PgLossParts {
  loss: number;
  /** Mean k3 KL per token. */
  kl: number;
  /** Share of tokens whose ratio was clipped (where clipping changed the objective). */
  clipFraction: number;
}

/** The objective on plain arrays. */
export function pgLossValue(x: PgLossInput): PgLossParts {
  let total = 0, tokens = 0, klSum = 0, clipped = 0, seqSum = 0, seqs = 0;
  x.logp.forEach((row, i) => {
    const a = x.advantages[i];
    let rowSum = 0;
    row.forEach((lp, t) => {
      const ratio = Math.exp(lp - x.oldLogp[i][t]);
      let surr = ratio * a;
      if (x.clip) {
        const c = Math.min(Math.max(ratio, 1 - x.clip.low), 1 + x.clip.high) * a;
        if (c < surr) {
          surr = c;
          clipped++;
        }
      }
      let kl = 0;
      if (x.klCoef > 0) {
        const d = x.refLogp![i][t] - lp;
        kl = Math.exp(d) - d - 1;
      }
      klSum += kl;
      rowSum += surr - x.klCoef * kl;
      tokens++;
    });
    total += rowSum;
    if (row.length > 0) {
      seqSum += rowSum / row.length;
      seqs++;
    }
  });
  const objective = x.aggregation === "token" ? total / Math.max(tokens, 1) : seqSum / Math.max(seqs, 1);
  return { loss: -objective, kl: klSum / Math.max(tokens, 1), clipFraction: clipped / Math.max(tokens, 1) };
}

/** Tensors for the objective on a padded batch [N, T]; `mask` is 1 on response tokens. */
export interface PgLossTensors {
  logp: tf.Tensor2D;
  oldLogp: tf.Tensor2D;
  refLogp?: tf.Tensor2D;
  /** [N] */
  advantages: tf.Tensor1D;
  mask: tf.Tensor2D;
}

/** The objective and the two numbers a trainer logs beside it (scalars over masked tokens). */
export interface PgLossTensorParts {
  /** The differentiable objective. */
  loss: tf.Scalar;
  /** Mean k3 KL per response token (0 without klCoef). */
  kl: tf.Scalar;
  /** Share of response tokens whose ratio was clipped (0 without clipping). */
  clipFraction: tf.Scalar;
}

/** The objective as a differentiable scalar (call inside a gradient tape), with its KL and clip fraction. */
export function pgLossTensor(
  x: PgLossTensors,
  opts: { clip: ClipRange | null; klCoef: number; aggregation: "token" | "sequence" },
): PgLossTensorParts {
  return tf.tidy(() => {
    const tokens = tf.maximum(tf.sum(x.mask), 1);
    const perToken = (t: tf.Tensor) => tf.div(tf.sum(tf.mul(t, x.mask)), tokens) as tf.Scalar;
    const ratio = tf.exp(tf.sub(x.logp, x.oldLogp));
    const adv = tf.expandDims(x.advantages, 1);
    let surr: tf.Tensor = tf.mul(ratio, adv);
    let clipFraction = tf.scalar(0);
    if (opts.clip) {
      const clipped = tf.mul(tf.clipByValue(ratio, 1 - opts.clip.low, 1 + opts.clip.high), adv);
      clipFraction = perToken(tf.cast(tf.less(clipped, surr), "float32"));
      surr = tf.minimum(surr, clipped);
    }
    let kl = tf.scalar(0);
    if (opts.klCoef > 0) {
      const d = tf.sub(x.refLogp!, x.logp);
      const k3 = tf.sub(tf.sub(tf.exp(d), d), 1);
      kl = perToken(k3);
      surr = tf.sub(surr, tf.mul(k3, opts.klCoef));
    }
    const masked = tf.mul(surr, x.mask);
    let loss: tf.Scalar;
    if (opts.aggregation === "token") {
      loss = tf.neg(tf.div(tf.sum(masked), tf.maximum(tf.sum(x.mask), 1))) as tf.Scalar;
    } else {
      const perSeq = tf.div(tf.sum(masked, 1), tf.maximum(tf.sum(x.mask, 1), 1));
      const hasTokens = tf.cast(tf.greater(tf.sum(x.mask, 1), 0), "float32");
      loss = tf.neg(tf.div(tf.sum(tf.mul(perSeq, hasTokens)), tf.maximum(tf.sum(hasTokens), 1))) as tf.Scalar;
    }
    return { loss, kl, clipFraction };
  });
}
