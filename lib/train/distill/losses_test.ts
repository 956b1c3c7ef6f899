import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { Rng } from "../../core/rng.ts";
import {
  distillLossTensor,
  type Divergence,
  DivergenceSchema,
  divergenceTensor,
  forwardKl,
  generalisedJsd,
  maskedMeanDivergence,
  reverseKl,
  tokenDivergence,
} from "./losses.ts";

const L = Math.log;
const logs = (p: number[]) => p.map((x) => Math.log(x));

// Hand-computed (closed forms; decimals beside them).
const CASES: {
  name: string;
  s: number[];
  t: number[];
  reverse: number;
  forward: number;
  jsd: number;
  beta: number;
}[] = [
  {
    name: "(1/2,1/2) vs (1/4,3/4)",
    s: [0.5, 0.5],
    t: [0.25, 0.75],
    reverse: 0.5 * L(4 / 3), // 0.143841
    forward: 0.25 * L(0.5) + 0.75 * L(1.5), // 0.130812
    // m = (3/8, 5/8): 0.5 [1/4 ln(2/3) + 3/4 ln(6/5)] + 0.5 [1/2 ln(4/3) + 1/2 ln(4/5)] = 0.033822
    jsd: 0.5 * (0.25 * L(2 / 3) + 0.75 * L(1.2)) + 0.5 * (0.5 * L(4 / 3) + 0.5 * L(0.8)),
    beta: 0.5,
  },
  {
    name: "identical",
    s: [0.2, 0.3, 0.5],
    t: [0.2, 0.3, 0.5],
    reverse: 0,
    forward: 0,
    jsd: 0,
    beta: 0.3,
  },
  {
    name: "(0.9,0.1) vs (0.1,0.9), beta 0.25",
    s: [0.9, 0.1],
    t: [0.1, 0.9],
    reverse: 0.8 * L(9), // 1.757780, symmetric here
    forward: 0.8 * L(9),
    // m = 0.25 t + 0.75 s = (0.7, 0.3)
    jsd: 0.25 * (0.1 * L(0.1 / 0.7) + 0.9 * L(0.9 / 0.3)) + 0.75 * (0.9 * L(0.9 / 0.7) + 0.1 * L(0.1 / 0.3)),
    beta: 0.25,
  },
];

Deno.test("per-token divergences match hand-computed values", () => {
  for (const c of CASES) {
    const s = logs(c.s), t = logs(c.t);
    assertAlmostEquals(reverseKl(s, t), c.reverse, 1e-12, c.name);
    assertAlmostEquals(forwardKl(s, t), c.forward, 1e-12, c.name);
    assertAlmostEquals(generalisedJsd(s, t, c.beta), c.jsd, 1e-12, c.name);
  }
  assertAlmostEquals(CASES[0].jsd, 0.033822, 1e-6);
});

Deno.test("a zero-probability student token contributes nothing to reverse KL", () => {
  // p_s = (1, 0), p_t = (1/2, 1/2): KL = ln 2; disjoint supports for JSD: beta ln(1/beta') terms.
  assertAlmostEquals(reverseKl([0, -Infinity], logs([0.5, 0.5])), L(2), 1e-12);
  // p_s = (1,0), p_t = (0,1), beta 0.25: m = (0.75, 0.25): 0.25 ln 4 + 0.75 ln(4/3)
  assertAlmostEquals(
    generalisedJsd([0, -Infinity], [-Infinity, 0], 0.25),
    0.25 * L(4) + 0.75 * L(4 / 3),
    1e-12,
  );
});

Deno.test("JSD / beta tends to forward KL as beta -> 0, JSD / (1 - beta) to reverse KL as beta -> 1", () => {
  // m = s + beta (t - s): KL(s || m) = O(beta^2) and KL(t || m) -> KL(t || s); symmetrically at beta -> 1.
  const s = logs([0.6, 0.3, 0.1]), t = logs([0.2, 0.5, 0.3]);
  const e = 1e-6;
  assertAlmostEquals(generalisedJsd(s, t, e) / e, forwardKl(s, t), 1e-4);
  assertAlmostEquals(generalisedJsd(s, t, 1 - e) / e, reverseKl(s, t), 1e-4);
});

Deno.test("masked mean over positions", () => {
  const a = logs([0.5, 0.5]), b = logs([0.25, 0.75]);
  const d: Divergence = { kind: "reverse_kl", beta: 0.5 };
  // positions: (a,b) counted, (a,a) counted, (b,a) masked
  const got = maskedMeanDivergence(d, [[a, a, b]], [[b, a, a]], [[1, 1, 0]]);
  assertAlmostEquals(got, (0.5 * L(4 / 3) + 0) / 2, 1e-12);
  assertThrows(() => maskedMeanDivergence(d, [[a]], [[b]], [[0]]), Error, "selects no position");
});

Deno.test("bad input names what is wrong", () => {
  assertThrows(() => reverseKl([0], [0, 0]), Error, "student has 1 log-probs and teacher 2");
  assertThrows(() => generalisedJsd([0], [0], 1), Error, "beta 1 must lie strictly between 0 and 1");
  assertThrows(() => DivergenceSchema.parse({ kind: "jsd", beta: 0 }), Error, "use kind forward_kl");
  assertThrows(() => DivergenceSchema.parse({ kind: "jsd", beta: 1 }), Error, "use kind reverse_kl");
  assertEquals(DivergenceSchema.parse({}), { kind: "reverse_kl", beta: 0.5 });
});

function randomLogDists(rng: Rng, n: number, t: number, v: number): number[][][] {
  return Array.from({ length: n }, () =>
    Array.from({ length: t }, () => {
      const z = Array.from({ length: v }, () => 3 * (rng.float() - 0.5));
      const lse = Math.log(z.reduce((a, x) => a + Math.exp(x), 0));
      return z.map((x) => x - lse);
    }));
}

Deno.test("tensor divergences equal the array versions, per position and as the masked mean", () => {
  const rng = new Rng(7);
  const S = randomLogDists(rng, 3, 4, 5), T = randomLogDists(rng, 3, 4, 5);
  const mask = [[1, 1, 0, 0], [1, 1, 1, 1], [0, 1, 0, 1]];
  for (
    const d of [{ kind: "reverse_kl", beta: 0.5 }, { kind: "forward_kl", beta: 0.5 }, {
      kind: "jsd",
      beta: 0.5,
    }, { kind: "jsd", beta: 0.2 }] as Divergence[]
  ) {
    const before = tf.memory().numTensors;
    const s = tf.tensor3d(S), t = tf.tensor3d(T), m = tf.tensor2d(mask);
    const perT = divergenceTensor(d, s, t);
    const per = perT.arraySync();
    const loss = distillLossTensor(d, s, t, m);
    const got = loss.dataSync()[0];
    tf.dispose([s, t, m, loss, perT]);
    assertEquals(tf.memory().numTensors, before, `${d.kind}: no tensor leaks`);
    per.forEach((row, i) =>
      row.forEach((x, j) => assertAlmostEquals(x, tokenDivergence(d, S[i][j], T[i][j]), 1e-5))
    );
    assertAlmostEquals(got, maskedMeanDivergence(d, S, T, mask), 1e-5, d.kind);
  }
});

Deno.test("the gradient flows into the student only, and descends the divergence", () => {
  const rng = new Rng(3);
  const T = randomLogDists(rng, 1, 1, 4);
  const d: Divergence = { kind: "reverse_kl", beta: 0.5 };
  const logits = tf.variable(tf.tensor3d([[[0, 0, 0, 0]]]));
  const teacher = tf.tensor3d(T), mask = tf.tensor2d([[1]]);
  const f = () => distillLossTensor(d, tf.logSoftmax(logits) as tf.Tensor3D, teacher, mask);
  const before = f().dataSync()[0];
  const opt = tf.train.sgd(0.5);
  for (let i = 0; i < 20; i++) opt.minimize(f);
  const after = f().dataSync()[0];
  assertEquals(after < before / 4, true, `loss ${before} -> ${after}`);
  tf.dispose([logits, teacher, mask]);
  opt.dispose();
});
