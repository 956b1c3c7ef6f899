import * as tf from "@tensorflow/tfjs";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { randomTokens, tinyModel, useWasm } from "../../tests/helpers/tiny.ts";
import { Gpt } from "./gpt.ts";
import { Rng } from "../core/rng.ts";

await useWasm();

Deno.test("zero weights give uniform logits: loss is exactly ln V on weighted positions", () => {
  const m = tinyModel();
  const sd = m.stateDict();
  for (const t of sd.values()) t.data.fill(0);
  const zero = Gpt.fromStateDict(m.config, sd);
  const ids = tf.tensor2d([[1, 2, 3], [4, 5, 6]], undefined, "int32");
  const tgt = tf.tensor2d([[2, 3, 4], [5, 6, 7]], undefined, "int32");
  const w = tf.tensor2d([[0, 1, 1], [1, 0, 0]]);
  const loss = zero.loss(ids, tgt, w).dataSync()[0];
  assertAlmostEquals(loss, Math.log(16), 1e-6);
  tf.dispose([ids, tgt, w]);
  zero.dispose();
  m.dispose();
});

Deno.test("loss equals the mean NLL read off logProbs at weighted positions", () => {
  const m = tinyModel();
  const rows = randomTokens(new Rng(3), 2, 6, 16);
  const lp = m.logProbs(rows);
  const targets = rows.map((r) => [...r.slice(1), 0]);
  const weights = [[0, 0, 1, 1, 1, 0], [0, 1, 1, 0, 0, 0]];
  let sum = 0, n = 0;
  weights.forEach((wr, b) =>
    wr.forEach((w, t) => {
      if (w) {
        sum -= lp[b][t][targets[b][t]];
        n++;
      }
    })
  );
  const ids = tf.tensor2d(rows, undefined, "int32"),
    tg = tf.tensor2d(targets, undefined, "int32"),
    w = tf.tensor2d(weights);
  assertAlmostEquals(m.loss(ids, tg, w).dataSync()[0], sum / n, 1e-5);
  tf.dispose([ids, tg, w]);
  m.dispose();
});

for (const position of ["learned", "rotary"] as const) {
  Deno.test(`KV-cache steps reproduce the full forward (${position})`, () => {
    const m = tinyModel({ position });
    const rows = randomTokens(new Rng(5), 3, 10, 16);
    const full = m.logProbs(rows);
    let cache = m.emptyCache(3);
    let maxDiff = 0;
    const feed = (from: number, to: number) => {
      const ids = tf.tensor2d(rows.map((r) => r.slice(from, to)), undefined, "int32");
      const out = m.step(ids, cache);
      ids.dispose();
      cache = out.cache;
      const lp = out.logProbs.arraySync();
      out.logProbs.dispose();
      for (let b = 0; b < 3; b++) {
        for (let v = 0; v < 16; v++) maxDiff = Math.max(maxDiff, Math.abs(lp[b][v] - full[b][to - 1][v]));
      }
    };
    feed(0, 4);
    for (let t = 5; t <= 10; t++) feed(t - 1, t);
    assert(maxDiff < 1e-5, `max |diff| ${maxDiff}`);
    for (const t of [...cache.k, ...cache.v]) t.dispose();
    m.dispose();
  });
}

Deno.test("targetLogProbs: the target's entry of log softmax(logits / T), bit for bit", () => {
  const m = tinyModel();
  const rows = randomTokens(new Rng(4), 2, 5, 16);
  const targets = rows.map((r) => [...r.slice(1), 3]);
  const ids = tf.tensor2d(rows, undefined, "int32"), tg = tf.tensor2d(targets, undefined, "int32");
  for (const temperature of [1, 0.5]) {
    const picked = m.targetLogProbs(ids, tg, { temperature });
    const dist = m.nextTokenLogProbs(ids, { temperature });
    const logits = m.logits(ids);
    const want = tf.tidy(() => tf.logSoftmax(tf.div(logits, temperature)));
    const lp = dist.arraySync(), ref = want.arraySync() as number[][][];
    const got = picked.arraySync();
    rows.forEach((r, b) =>
      r.forEach((_, t) => {
        assertEquals(got[b][t], lp[b][t][targets[b][t]]); // exact: the one-hot product adds only zeros
        assertAlmostEquals(lp[b][t][targets[b][t]], ref[b][t][targets[b][t]], 1e-6);
      })
    );
    tf.dispose([picked, dist, logits, want]);
  }
  tf.dispose([ids, tg]);
  m.dispose();
});

Deno.test("state dict round trip is exact and uses nanoGPT's [out, in] layout", () => {
  const m = tinyModel();
  const sd = m.stateDict();
  assertEquals(sd.get("transformer.h.0.attn.c_attn.weight")!.shape, [48, 16]);
  assertEquals(sd.get("transformer.h.1.mlp.c_proj.weight")!.shape, [16, 64]);
  assertEquals(sd.get("lm_head.weight")!.data, sd.get("transformer.wte.weight")!.data);
  const back = Gpt.fromStateDict(m.config, sd).stateDict();
  for (const [k, t] of sd) assertEquals(back.get(k)!.data, t.data, k);
  m.dispose();
});

Deno.test("same seed gives identical weights; a different seed does not", () => {
  const a = tinyModel({}, 7).stateDict(), b = tinyModel({}, 7).stateDict(), c = tinyModel({}, 8).stateDict();
  assertEquals(a.get("transformer.wte.weight")!.data, b.get("transformer.wte.weight")!.data);
  assert(a.get("transformer.wte.weight")!.data[0] !== c.get("transformer.wte.weight")!.data[0]);
});

Deno.test("init follows nanoGPT: std 0.02, c_proj scaled by 1/sqrt(2 n_layer), LN gains 1", () => {
  const m = tinyModel({ n_embd: 64, n_head: 4 }, 11);
  const sd = m.stateDict();
  const std = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
  assertAlmostEquals(std(sd.get("transformer.h.0.mlp.c_fc.weight")!.data), 0.02, 0.001);
  assertAlmostEquals(std(sd.get("transformer.h.0.mlp.c_proj.weight")!.data), 0.02 / Math.sqrt(4), 0.0008);
  assertEquals([...sd.get("transformer.h.1.ln_2.weight")!.data].every((v) => v === 1), true);
  m.dispose();
});

Deno.test("too-long input is a LabError naming block_size", () => {
  const m = tinyModel();
  const ids = tf.tensor2d([Array(25).fill(1)], undefined, "int32");
  assertThrows(() => m.logits(ids), Error, "exceeds block_size 24");
  ids.dispose();
  m.dispose();
});

Deno.test("random position offsets shift learned positions (offset 0 = plain forward)", () => {
  const m = tinyModel({ random_position_offset: true });
  const ids = tf.tensor2d([[1, 2, 3], [1, 2, 3]], undefined, "int32");
  const plain = m.logits(ids).arraySync();
  const off = m.logits(ids, [0, 5]).arraySync();
  assertAlmostEquals(off[0][2][4], plain[0][2][4], 1e-6);
  assert(Math.abs(off[1][2][4] - plain[1][2][4]) > 1e-6);
  ids.dispose();
  m.dispose();
});
