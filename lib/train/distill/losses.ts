/**
 * Per-token distillation losses over the full vocabulary, between the
 * student's next-token distribution p_s and the teacher's p_t at one response
 * position, given as log-probabilities (OPHSD and OPSD reference code; the
 * generalised JSD as in GKD, Agarwal et al. 2024, and TRL's
 * `generalized_jsd_loss`):
 *
 *   reverse_kl   KL(p_s || p_t) = sum_v p_s(v) (log p_s(v) - log p_t(v))   (OPHSD's default)
 *   forward_kl   KL(p_t || p_s) = sum_v p_t(v) (log p_t(v) - log p_s(v))
 *   jsd (beta)   beta KL(p_t || m) + (1 - beta) KL(p_s || m),  m = beta p_t + (1 - beta) p_s
 *                (OPSD's default beta = 0.5; as beta -> 1 it behaves like reverse KL, -> 0 like forward)
 *
 * The teacher is a constant (no gradient flows into it). A response's loss is
 * the mean over its scored tokens; a batch's, the mean over all scored tokens
 * of the batch (the reference averages over response tokens).
 *
 * The array versions are the definition (tested against hand-computed
 * numbers); the tensor versions are what training differentiates, tested
 * against the array versions.
 *
 * Departure from TRL: beta must lie strictly between 0 and 1 (TRL maps the
 * end points to the two KLs, a discontinuity: the formula itself tends to 0
 * there); use `forward_kl` or `reverse_kl` for the end points.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { reverseKl } from "./losses.ts";
 * // p_s = (1/2, 1/2), p_t = (1/4, 3/4): 1/2 ln 2 + 1/2 ln(2/3)
 * assertAlmostEquals(reverseKl([Math.log(0.5), Math.log(0.5)], [Math.log(0.25), Math.log(0.75)]), 0.5 * Math.log(4 / 3), 1e-12);
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { LabError } from "../../core/errors.ts";

export const DivergenceSchema = z.strictObject({
  kind: z.enum(["reverse_kl", "forward_kl", "jsd"]).default("reverse_kl"),
  /** JSD only: the teacher's weight in the mixture, strictly between 0 and 1. */
  beta: z.number().gt(0, { message: "beta must be above 0; for beta 0 use kind forward_kl" })
    .lt(1, { message: "beta must be below 1; for beta 1 use kind reverse_kl" }).default(0.5),
});
export type Divergence = z.output<typeof DivergenceSchema>;

type LogDist = ArrayLike<number>;

function checkPair(s: LogDist, t: LogDist): void {
  if (s.length !== t.length || s.length === 0) {
    throw new LabError(
      `distillation loss: student has ${s.length} log-probs and teacher ${t.length}`,
      "pass two full next-token distributions over the same vocabulary",
    );
  }
}

/** KL(p || q) from log-probs (terms with p(v) = 0 contribute 0). */
function kl(logP: LogDist, logQ: LogDist): number {
  let sum = 0;
  for (let v = 0; v < logP.length; v++) {
    const p = Math.exp(logP[v]);
    if (p > 0) sum += p * (logP[v] - logQ[v]);
  }
  return sum;
}

/** KL(p_s || p_t) at one position. */
export function reverseKl(student: LogDist, teacher: LogDist): number {
  checkPair(student, teacher);
  return kl(student, teacher);
}

/** KL(p_t || p_s) at one position. */
export function forwardKl(student: LogDist, teacher: LogDist): number {
  checkPair(student, teacher);
  return kl(teacher, student);
}

/** Generalised JSD at one position: beta KL(p_t || m) + (1 - beta) KL(p_s || m), m = beta p_t + (1 - beta) p_s. */
export function generalisedJsd(student: LogDist, teacher: LogDist, beta: number): number {
  checkPair(student, teacher);
  if (!(beta > 0 && beta < 1)) {
    throw new LabError(`generalised JSD: beta ${beta} must lie strictly between 0 and 1`);
  }
  const logM = Array.from(
    { length: student.length },
    (_, v) => Math.log(beta * Math.exp(teacher[v]) + (1 - beta) * Math.exp(student[v])),
  );
  return beta * kl(teacher, logM) + (1 - beta) * kl(student, logM);
}

/** The divergence at one position. */
export function tokenDivergence(d: Divergence, student: LogDist, teacher: LogDist): number {
  if (d.kind === "reverse_kl") return reverseKl(student, teacher);
  if (d.kind === "forward_kl") return forwardKl(student, teacher);
  return generalisedJsd(student, teacher, d.beta);
}

/** Mean of the divergence over the positions with mask 1 ([N][T][V] log-probs, mask [N][T]). */
export function maskedMeanDivergence(
  d: Divergence,
  student: LogDist[][],
  teacher: LogDist[][],
  mask: number[][],
): number {
  let sum = 0, n = 0;
  mask.forEach((row, i) =>
    row.forEach((m, t) => {
      if (m > 0) {
        sum += m * tokenDivergence(d, student[i][t], teacher[i][t]);
        n += m;
      }
    })
  );
  if (n === 0) {
    throw new LabError("distillation loss: the mask selects no position", "score at least one token");
  }
  return sum / n;
}

/** Per-position divergence as a tensor: [N, T] from log-probs [N, T, V] (teacher treated as constant). */
export function divergenceTensor(d: Divergence, student: tf.Tensor3D, teacher: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const t = teacher; // built from numbers read back from the teacher's pass: a constant on the tape
    const klSum = (logP: tf.Tensor, logQ: tf.Tensor) => tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), -1);
    if (d.kind === "reverse_kl") return klSum(student, t) as tf.Tensor2D;
    if (d.kind === "forward_kl") return klSum(t, student) as tf.Tensor2D;
    // log m = logsumexp(log beta + log p_t, log(1 - beta) + log p_s), elementwise.
    const a = tf.add(t, Math.log(d.beta)), b = tf.add(student, Math.log(1 - d.beta));
    const hi = tf.maximum(a, b);
    const logM = tf.add(hi, tf.log(tf.add(tf.exp(tf.sub(a, hi)), tf.exp(tf.sub(b, hi)))));
    return tf.add(tf.mul(klSum(t, logM), d.beta), tf.mul(klSum(student, logM), 1 - d.beta)) as tf.Tensor2D;
  });
}

/** The batch loss: mean divergence over positions with mask > 0 (mask [N, T], weights allowed). */
export function distillLossTensor(
  d: Divergence,
  student: tf.Tensor3D,
  teacher: tf.Tensor3D,
  mask: tf.Tensor2D,
): tf.Scalar {
  return tf.tidy(() => {
    const per = divergenceTensor(d, student, teacher);
    return tf.div(tf.sum(tf.mul(per, mask)), tf.maximum(tf.sum(mask), 1e-9)) as tf.Scalar;
  });
}
