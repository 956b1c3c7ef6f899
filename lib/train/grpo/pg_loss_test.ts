import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { useWasm } from "../../../tests/helpers/tiny.ts";
import { Rng } from "../../core/rng.ts";
import { type PgLossInput, pgLossTensor, pgLossValue } from "./pg_loss.ts";

await useWasm();

const ln = Math.log;
const base = { clip: null, klCoef: 0, aggregation: "token" as const };
const cases: { name: string; input: PgLossInput; loss: number; kl?: number; clipFraction?: number }[] = [
  // ratio 1: token mean of A over 3 tokens = (1 + 1 - 1) / 3
  {
    name: "ratio 1, token mean",
    input: {
      ...base,
      logp: [[ln(0.5), ln(0.2)], [ln(0.9)]],
      oldLogp: [[ln(0.5), ln(0.2)], [ln(0.9)]],
      advantages: [1, -1],
    },
    loss: -1 / 3,
  },
  // sequence mean: (mean(1, 1) + mean(-1)) / 2 = 0
  {
    name: "ratio 1, sequence mean",
    input: {
      ...base,
      aggregation: "sequence",
      logp: [[ln(0.5), ln(0.2)], [ln(0.9)]],
      oldLogp: [[ln(0.5), ln(0.2)], [ln(0.9)]],
      advantages: [1, -1],
    },
    loss: 0,
  },
  // ratio 0.6/0.4 = 1.5, A = 1: min(1.5, 1.2) = 1.2
  {
    name: "positive advantage clipped at 1 + eps",
    input: {
      ...base,
      clip: { low: 0.2, high: 0.2 },
      logp: [[ln(0.6)]],
      oldLogp: [[ln(0.4)]],
      advantages: [1],
    },
    loss: -1.2,
    clipFraction: 1,
  },
  // A = -1: min(-1.5, -1.2) = -1.5 (the pessimistic side is not clipped)
  {
    name: "negative advantage keeps the unclipped ratio",
    input: {
      ...base,
      clip: { low: 0.2, high: 0.2 },
      logp: [[ln(0.6)]],
      oldLogp: [[ln(0.4)]],
      advantages: [-1],
    },
    loss: 1.5,
    clipFraction: 0,
  },
  // ratio 0.2/0.4 = 0.5, A = -1: min(-0.5, -0.8) = -0.8 (clipped at 1 - eps)
  {
    name: "negative advantage clipped at 1 - eps",
    input: {
      ...base,
      clip: { low: 0.2, high: 0.28 },
      logp: [[ln(0.2)]],
      oldLogp: [[ln(0.4)]],
      advantages: [-1],
    },
    loss: 0.8,
    clipFraction: 1,
  },
  // d = ln(0.25) - ln(0.5) = -ln 2; k3 = 0.5 + ln 2 - 1 = 0.193147; loss = 0.1 * k3
  {
    name: "k3 KL to the reference",
    input: {
      ...base,
      klCoef: 0.1,
      logp: [[ln(0.5)]],
      oldLogp: [[ln(0.5)]],
      refLogp: [[ln(0.25)]],
      advantages: [0],
    },
    loss: 0.0193147,
    kl: 0.193147,
  },
];

for (const c of cases) {
  Deno.test(`pgLossValue: ${c.name}`, () => {
    const got = pgLossValue(c.input);
    assertAlmostEquals(got.loss, c.loss, 1e-6);
    if (c.kl !== undefined) assertAlmostEquals(got.kl, c.kl, 1e-6);
    if (c.clipFraction !== undefined) assertAlmostEquals(got.clipFraction, c.clipFraction, 1e-12);
  });
}

function pad(rows: number[][], T: number): number[][] {
  return rows.map((r) => [...r, ...new Array(T - r.length).fill(0)]);
}

for (const aggregation of ["token", "sequence"] as const) {
  Deno.test(`pgLossTensor equals pgLossValue on random inputs (${aggregation}, clip, KL)`, () => {
    const rng = new Rng(7);
    const lens = [3, 1, 5, 2];
    const T = 5;
    const draw = () => lens.map((n) => Array.from({ length: n }, () => Math.log(0.05 + 0.9 * rng.float())));
    const input: PgLossInput = {
      logp: draw(),
      oldLogp: draw(),
      refLogp: draw(),
      advantages: lens.map(() => rng.normal()),
      clip: { low: 0.2, high: 0.28 },
      klCoef: 0.05,
      aggregation,
    };
    const want = pgLossValue(input);
    const mask = lens.map((n) => Array.from({ length: T }, (_, t) => (t < n ? 1 : 0)));
    const got = tf.tidy(() => {
      const parts = pgLossTensor({
        logp: tf.tensor2d(pad(input.logp, T)),
        oldLogp: tf.tensor2d(pad(input.oldLogp, T)),
        refLogp: tf.tensor2d(pad(input.refLogp!, T)),
        advantages: tf.tensor1d(input.advantages),
        mask: tf.tensor2d(mask),
      }, input);
      return tf.stack([parts.loss, parts.kl, parts.clipFraction]);
    });
    const [loss, kl, clipFraction] = got.dataSync();
    got.dispose();
    assertAlmostEquals(loss, want.loss, 1e-5);
    assertAlmostEquals(kl, want.kl, 1e-5);
    assertAlmostEquals(clipFraction, want.clipFraction, 1e-7);
    assertEquals(want.clipFraction > 0 && want.clipFraction < 1, true); // the draw exercises clipping
  });
}
