// The model on the native kernels (lib/core/native) against the same model on tfjs's stock ops, in
// one process: loss, every parameter's gradient, log-probs and KV-cache generation, for each
// position scheme and activation; and a native training step that leaks nothing.
import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "@std/assert";
import { randomTokens, tinyModel, useWasm } from "../../tests/helpers/tiny.ts";
import { maxRelErr, NATIVE_BUILT } from "../../tests/helpers/native_check.ts";
import { nativeKernelsActive, withStockKernels } from "../core/native/mod.ts";
import type { WasmBackend } from "../core/native/heap.ts";
import { Rng } from "../core/rng.ts";
import { generate } from "../sample/generate.ts";
import { AdamW, globalNorm } from "../train/optimizer.ts";
import type { Gpt } from "./gpt.ts";

await useWasm();

function lossAndGrads(m: Gpt, rows: number[][], offsets?: number[]) {
  return tf.tidy(() => {
    const ids = tf.tensor2d(rows, undefined, "int32");
    const tg = tf.tensor2d(rows.map((r) => [...r.slice(1), 3]), undefined, "int32");
    const w = tf.tensor2d(rows.map((r) => r.map((_, t) => (t % 3 === 0 ? 0 : 1))));
    const { value, grads } = tf.variableGrads(() => m.loss(ids, tg, w, offsets), [...m.params.values()]);
    return {
      loss: value.dataSync()[0],
      grads: [...m.params.values()].map((v) => Array.from(grads[v.name].dataSync())),
    };
  });
}

const variants = [
  { position: "learned", activation: "gelu" },
  { position: "learned", activation: "gelu_tanh", bias: false },
  { position: "rotary", activation: "relu" },
  { position: "rotary", activation: "gelu", n_head: 4 },
  { position: "learned", activation: "gelu", random_position_offset: true },
] as const;

for (const v of variants) {
  Deno.test({
    name: `native and stock paths agree: loss, gradients, log-probs (${JSON.stringify(v)})`,
    ignore: !NATIVE_BUILT,
    fn: () => {
      const m = tinyModel(v);
      const rows = randomTokens(new Rng(2), 3, 9, 16);
      const offsets = "random_position_offset" in v ? [0, 5, 11] : undefined;
      const native = lossAndGrads(m, rows, offsets),
        stock = withStockKernels(() => lossAndGrads(m, rows, offsets));
      assert(Math.abs(native.loss - stock.loss) < 2e-6, `loss ${native.loss} vs ${stock.loss}`);
      native.grads.forEach((g, i) => {
        const e = maxRelErr(g, stock.grads[i]);
        assert(e < 2e-5, `gradient of ${[...m.params.keys()][i]}: max relative difference ${e}`);
      });
      const lp = m.logProbs(rows).flat(2), lpStock = withStockKernels(() => m.logProbs(rows)).flat(2);
      assert(maxRelErr(lp, lpStock) < 2e-6);
      m.dispose();
    },
  });
}

Deno.test({
  name: "greedy generation with the preallocated in-place KV cache gives the stock path's tokens",
  ignore: !NATIVE_BUILT,
  fn: () => {
    for (const position of ["learned", "rotary"] as const) {
      const m = tinyModel({ position });
      const prompts = randomTokens(new Rng(6), 5, 3, 16).map((p, i) => p.slice(0, 1 + (i % 3)));
      const opts = { maxNewTokens: 12, temperature: 0, rng: new Rng(1), stopTokens: [5] };
      const native = generate(m, prompts, opts), stock = withStockKernels(() => generate(m, prompts, opts));
      assertEquals(native.tokens, stock.tokens);
      assert(maxRelErr(native.logProbs.flat(), stock.logProbs.flat()) < 2e-6);
      m.dispose();
    }
  },
});

Deno.test({
  name: "a native training step (loss, gradients, global norm, AdamW) leaks no tensor and no heap data",
  ignore: !NATIVE_BUILT,
  fn: () => {
    assert(nativeKernelsActive());
    const m = tinyModel({ position: "rotary" });
    const opt = new AdamW(m.params, { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1, gradClip: 1 });
    const rows = randomTokens(new Rng(4), 4, 8, 16);
    const step = () => {
      const ids = tf.tensor2d(rows, undefined, "int32"), w = tf.ones([4, 8]) as tf.Tensor2D;
      const { value, grads } = tf.variableGrads(() => m.loss(ids, ids, w), [...m.params.values()]);
      const named: Record<string, tf.Tensor> = {};
      for (const [n, p] of m.params) named[n] = grads[p.name];
      opt.apply(named, 1e-3, globalNorm(named));
      tf.dispose([value, ids, w, ...Object.values(grads)]);
    };
    step();
    const backend = tf.backend() as unknown as WasmBackend & { numDataIds(): number };
    const tensors = tf.memory().numTensors, data = backend.numDataIds();
    for (let i = 0; i < 3; i++) step();
    assertEquals([tf.memory().numTensors, backend.numDataIds()], [tensors, data]);
    opt.dispose();
    m.dispose();
  },
});
