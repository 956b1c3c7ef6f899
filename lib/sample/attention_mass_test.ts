import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import * as tf from "@tensorflow/tfjs";
import { useWasm } from "../../tests/helpers/tiny.ts";
import { Gpt } from "../model/gpt.ts";
import { parseGptConfig } from "../model/config.ts";
import { expectedShapes, type StateDict } from "../model/state_dict.ts";
import { Rng } from "../core/rng.ts";
import { VOCAB_SIZE } from "../tasks/tokenizer.ts";
import { attentionMass } from "./attention_mass.ts";

await useWasm();

/**
 * One layer, one head, n_embd 2, learned positions set to zero, zero biases:
 * token 0 embeds as [1, 0], every other token as [0, 1]. LayerNorm maps them
 * to h = ±[g, -g] with g = 0.5 / sqrt(0.25 + 1e-5); q = h, k = c h, so the
 * score of query t on key s is c (h_t . h_s) / sqrt(2) = ±c 2 g^2 / sqrt(2):
 * + for equal tokens, - otherwise.
 */
function handModel(c: number): Gpt {
  const cfg = parseGptConfig({
    vocab_size: 4,
    block_size: 8,
    n_layer: 1,
    n_head: 1,
    n_embd: 2,
    position: "learned",
  });
  const sd: StateDict = new Map();
  for (const [name, shape] of expectedShapes(cfg)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (name === "transformer.wte.weight") data.set([1, 0, 0, 1, 0, 1, 0, 1]);
    else if (/ln_\w+\.weight$/.test(name)) data.fill(1);
    else if (name.endsWith("c_attn.weight")) {
      // nanoGPT layout [3C, C] = [out, in]: q rows identity, k rows c * identity, v rows zero.
      data.set([1, 0, 0, 1, c, 0, 0, c, 0, 0, 0, 0]);
    }
    sd.set(name, { shape, data });
  }
  return Gpt.fromStateDict(cfg, sd);
}

Deno.test("attentionProbs matches a hand computation on a 1-layer, 1-head model", () => {
  const c = 1.5;
  const m = handModel(c);
  const g = 0.5 / Math.sqrt(0.25 + 1e-5);
  const a = c * 2 * g * g / Math.sqrt(2);
  const before = tf.memory().numTensors;
  const ids = tf.tensor2d([[0, 1, 0]], [1, 3], "int32");
  const probs = m.attentionProbs(ids);
  assertEquals(probs.map((p) => p.shape), [[1, 1, 3, 3]]);
  const got = probs[0].arraySync()[0][0];
  probs[0].dispose();
  ids.dispose();
  // Row 0: only itself. Row 1 (token 1): keys [0 (other), 1 (same)]. Row 2 (token 0): [same, other, same].
  const z1 = Math.exp(-a) + Math.exp(a), z2 = 2 * Math.exp(a) + Math.exp(-a);
  const want = [
    [1, 0, 0],
    [Math.exp(-a) / z1, Math.exp(a) / z1, 0],
    [Math.exp(a) / z2, Math.exp(-a) / z2, Math.exp(a) / z2],
  ];
  got.forEach((row, t) => row.forEach((x, s) => assertAlmostEquals(x, want[t][s], 1e-5)));
  assertEquals(tf.memory().numTensors, before); // only the returned probabilities outlive the pass
  m.dispose();
});

Deno.test("attentionMass: the last row's mass on a span, per layer and head, no leaked tensors", () => {
  const cfg = parseGptConfig({ vocab_size: VOCAB_SIZE, block_size: 16, n_layer: 2, n_head: 2, n_embd: 8 });
  const r = Gpt.init(cfg, new Rng(3));
  const before = tf.memory().numTensors;
  const prompts = ["^[ab=3]ab=", "^[cd=1]cd=", "^ab="];
  const whole = attentionMass(r, prompts, prompts.map((p) => ({ start: 0, end: p.length })));
  whole.forEach((row) => {
    assertEquals(row.length, 4); // 2 layers x 2 heads
    row.forEach((x) => assertAlmostEquals(x, 1, 1e-5));
  });
  const parts = [{ start: 0, end: 2 }, { start: 2, end: 6 }, { start: 6, end: 10 }];
  const split = parts.map((sp) => attentionMass(r, [prompts[0]], [sp])[0]);
  for (let j = 0; j < 4; j++) assertAlmostEquals(split[0][j] + split[1][j] + split[2][j], 1, 1e-5);
  assertEquals(tf.memory().numTensors, before);
  assertThrows(() => attentionMass(r, prompts, []), Error, "one span per prompt");
  assertThrows(() => attentionMass(r, ["^ab="], [{ start: 2, end: 9 }]), Error, "does not fit prompt 0");
  r.dispose();
});

Deno.test("attentionMass on the hand model: the last position's mass on same-token keys", () => {
  // Ids come from the tokenizer, so check the hand numbers through attentionProbs' rows directly:
  // the mass of row 2 on keys {0, 2} (the same token) is 2 e^a / (2 e^a + e^-a).
  const m = handModel(1.5);
  const g = 0.5 / Math.sqrt(0.25 + 1e-5);
  const a = 1.5 * 2 * g * g / Math.sqrt(2);
  const ids = tf.tensor2d([[0, 1, 0]], [1, 3], "int32");
  const [att] = m.attentionProbs(ids);
  const row = att.arraySync()[0][0][2];
  att.dispose();
  ids.dispose();
  assertAlmostEquals(row[0] + row[2], 2 * Math.exp(a) / (2 * Math.exp(a) + Math.exp(-a)), 1e-5);
  m.dispose();
});
