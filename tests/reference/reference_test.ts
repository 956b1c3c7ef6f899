/**
 * Checks of the two reference implementations themselves (no tfjs here):
 * the float64 TypeScript forward pass against arithmetic written out by hand,
 * and against the PyTorch peer (gpt_torch.py) loading our saved files strictly,
 * for every activation and both position kinds.
 */
import { assert, assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { activation, erf, logSoftmax, referenceLogits, referenceLogProbs, rope } from "./gpt_reference.ts";
import { MODEL_VARIANTS, randomRows, randomStateDict } from "./random_weights.ts";
import { runTorch, torchMissing } from "./torch_peer.ts";
import { parseGptConfig } from "../../lib/model/config.ts";
import { saveModelDir } from "../../lib/model/checkpoint.ts";
import { encodeSafetensors } from "../../lib/model/safetensors.ts";
import type { StateDict } from "../../lib/model/state_dict.ts";
import { Rng } from "../../lib/core/rng.ts";

function maxDiff(a: number[][], b: number[][]): number {
  assertEquals([a.length, a[0].length], [b.length, b[0].length]);
  let m = 0;
  a.forEach((row, t) => row.forEach((v, i) => (m = Math.max(m, Math.abs(v - b[t][i])))));
  return m;
}

Deno.test("erf, GELU and rotary helpers match known values", () => {
  assertAlmostEquals(erf(0.5), 0.5204998778130465, 1e-15);
  assertAlmostEquals(erf(-1.5), -0.9661051464753108, 1e-15);
  // Either side of the switch from series to continued fraction (the series loses ~2 digits there).
  assertAlmostEquals(erf(2.4999), 0.9995928300996666, 1e-13);
  assertAlmostEquals(erf(2.5001), 0.9995932657565293, 1e-15);
  assertAlmostEquals(erf(3), 0.9999779095030014, 1e-15);
  assertEquals(erf(6), 1);
  assertAlmostEquals(activation(1, "gelu"), 0.8413447460685429, 1e-15);
  assertAlmostEquals(activation(-0.5, "gelu"), -0.15426876936299344, 1e-15);
  assertAlmostEquals(activation(1, "gelu_tanh"), 0.8411919906082768, 1e-15);
  assertEquals([activation(-2, "relu"), activation(3, "relu")], [0, 3]);
  // hd = 4, base 100: pair (x0, x2) turns by 1 * 100^0 = 1 rad, pair (x1, x3) by 100^(-1/2) = 0.1 rad.
  const r = rope([1, 2, 3, 4], 1, 100);
  const want = [
    Math.cos(1) - 3 * Math.sin(1),
    2 * Math.cos(0.1) - 4 * Math.sin(0.1),
    3 * Math.cos(1) + Math.sin(1),
    4 * Math.cos(0.1) + 2 * Math.sin(0.1),
  ];
  want.forEach((w, i) => assertAlmostEquals(r[i], w, 1e-15));
  assertEquals(rope([1, 2, 3, 4], 0, 100), [1, 2, 3, 4]);
  // Rotated q.k depends on the offset only: (q at 5).(k at 3) = (q at 2).(k at 0).
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
  const q = [0.3, -1, 2, 0.5], k = [1, 0.2, -0.7, 1.5];
  assertAlmostEquals(
    dot(rope(q, 5, 10000), rope(k, 3, 10000)),
    dot(rope(q, 2, 10000), rope(k, 0, 10000)),
    1e-12,
  );
});

Deno.test("reference forward = hand arithmetic on a 1-layer, 2-wide model (both positions)", () => {
  const c = parseGptConfig({
    vocab_size: 3,
    block_size: 2,
    n_layer: 1,
    n_head: 1,
    n_embd: 2,
    activation: "relu",
  });
  const zeros = (n: number) => new Float32Array(n);
  const t = (shape: number[], values: number[] | Float32Array) => ({
    shape,
    data: Float32Array.from(values),
  });
  const fcW = zeros(16), projW = zeros(16);
  fcW.set([1, 0, 0, 1]); // hidden 0 = in 0, hidden 1 = in 1, hidden 2..7 = 0
  projW[0] = 1; // out 0 = hidden 0
  projW[8 + 1] = 1; // out 1 = hidden 1
  const sd: StateDict = new Map([
    ["transformer.wte.weight", t([3, 2], [1, 0, 0, 1, 1, 1])],
    ["transformer.wpe.weight", t([2, 2], [0, 0, 0.5, 0])],
    ["transformer.h.0.ln_1.weight", t([2], [1, 1])],
    ["transformer.h.0.ln_1.bias", t([2], [0, 0])],
    // q = identity, k = identity, v = diag(2, 1)
    ["transformer.h.0.attn.c_attn.weight", t([6, 2], [1, 0, 0, 1, 1, 0, 0, 1, 2, 0, 0, 1])],
    ["transformer.h.0.attn.c_attn.bias", t([6], zeros(6))],
    ["transformer.h.0.attn.c_proj.weight", t([2, 2], [1, 0, 0, 1])],
    ["transformer.h.0.attn.c_proj.bias", t([2], [0.1, 0])],
    ["transformer.h.0.ln_2.weight", t([2], [1, 1])],
    ["transformer.h.0.ln_2.bias", t([2], [0, 0])],
    ["transformer.h.0.mlp.c_fc.weight", t([8, 2], fcW)],
    ["transformer.h.0.mlp.c_fc.bias", t([8], zeros(8))],
    ["transformer.h.0.mlp.c_proj.weight", t([2, 8], projW)],
    ["transformer.h.0.mlp.c_proj.bias", t([2], [0, 0])],
    ["transformer.ln_f.weight", t([2], [1, 1])],
    ["transformer.ln_f.bias", t([2], [0.1, -0.1])],
    ["lm_head.weight", t([3, 2], [1, 0, 0, 1, 1, 1])],
  ]);
  const tenth = Math.fround(0.1); // the biases are stored as float32
  // LayerNorm of [a, b]: mean (a+b)/2, variance ((a-b)/2)^2.
  const ln = (a: number, b: number) => {
    const d = Math.sqrt(((a - b) / 2) ** 2 + 1e-5);
    return [(a - b) / 2 / d, (b - a) / 2 / d];
  };
  // Everything after attention: residual, MLP = relu(ln_2) on both channels, ln_f, logits vs wte rows.
  const rest = (x: number[], y: number[]) => {
    const x1 = [x[0] + y[0] + tenth, x[1] + y[1]]; // c_proj = identity, bias [0.1, 0]
    const g = ln(x1[0], x1[1]);
    const x2 = [x1[0] + Math.max(0, g[0]), x1[1] + Math.max(0, g[1])];
    const f = ln(x2[0], x2[1]);
    const f0 = f[0] + tenth, f1 = f[1] - tenth;
    return [f0, f1, f0 + f1]; // wte rows [1,0], [0,1], [1,1]
  };
  // tokens [0, 1]: x0 = wte[0] + wpe[0] = [1, 0]; x1 = wte[1] + wpe[1] = [0.5, 1].
  const h0 = ln(1, 0), h1 = ln(0.5, 1); // q = k = h; v = [2 h[0], h[1]]
  const v0 = [2 * h0[0], h0[1]], v1 = [2 * h1[0], h1[1]];
  const pos0 = rest([1, 0], v0); // position 0 attends to itself only
  const s0 = (h1[0] * h0[0] + h1[1] * h0[1]) / Math.SQRT2, s1 = (h1[0] * h1[0] + h1[1] * h1[1]) / Math.SQRT2;
  const p0 = Math.exp(s0) / (Math.exp(s0) + Math.exp(s1)), p1 = 1 - p0;
  const pos1 = rest([0.5, 1], [p0 * v0[0] + p1 * v1[0], p0 * v0[1] + p1 * v1[1]]);

  const got = referenceLogits(c, sd, [0, 1]);
  pos0.forEach((z, v) => assertAlmostEquals(got[0][v], z, 1e-12));
  pos1.forEach((z, v) => assertAlmostEquals(got[1][v], z, 1e-12));
  assert(Math.abs(pos1[0] - pos0[0]) > 0.1, "position 1 should differ from position 0");
  const lp = referenceLogProbs(c, sd, [0, 1]);
  const lse = Math.log(Math.exp(pos1[0]) + Math.exp(pos1[1]) + Math.exp(pos1[2]));
  pos1.forEach((z, v) => assertAlmostEquals(lp[1][v], z - lse, 1e-12));
});

Deno.test("reference forward is causal and uses learned positions", () => {
  const c = parseGptConfig({ vocab_size: 7, block_size: 6, n_layer: 2, n_head: 2, n_embd: 8 });
  const sd = randomStateDict(c, new Rng(3));
  const a = referenceLogits(c, sd, [1, 2, 3, 4]), b = referenceLogits(c, sd, [1, 2, 3, 6]);
  assertEquals(a.slice(0, 3), b.slice(0, 3));
  assert(maxDiff([a[3]], [b[3]]) > 1e-3);
  const shifted = referenceLogits(c, sd, [0, 1, 2, 3, 4]); // same tokens one position later
  assert(maxDiff(shifted.slice(1, 2), a.slice(0, 1)) > 1e-3, "learned positions should matter");
  assertAlmostEquals(logSoftmax([0, Math.log(3)]).reduce((s, v) => s + Math.exp(v), 0), 1, 1e-15);
});

for (const [i, v] of MODEL_VARIANTS.entries()) {
  const name = `${v.activation}/${v.position}/bias=${v.bias}`;
  Deno.test({
    name: `PyTorch loads our files strictly; TS reference = PyTorch (f64 to 1e-10, f32 to 1e-5) (${name})`,
    ignore: torchMissing,
    fn: async () => {
      const c = parseGptConfig({ vocab_size: 11, block_size: 12, n_layer: 2, n_head: 2, n_embd: 8, ...v });
      const sd = randomStateDict(c, new Rng(100 + i));
      const root = await Deno.makeTempDir();
      await saveModelDir(`${root}/model`, c, sd);
      const rows = [...randomRows(new Rng(200 + i), 1, 12, 11), ...randomRows(new Rng(300 + i), 1, 5, 11)];
      const [f64, f32] = await Promise.all([
        runTorch(`${root}/model`, rows, "float64"),
        runTorch(`${root}/model`, rows, "float32"),
      ]);
      rows.forEach((r, b) => {
        const ref = referenceLogProbs(c, sd, r);
        const spread = Math.max(...ref[r.length - 1]) - Math.min(...ref[r.length - 1]);
        assert(spread > 1, `log-probs too flat to be a sharp test (spread ${spread})`);
        const d64 = maxDiff(ref, f64[b]), d32 = maxDiff(ref, f32[b]);
        assert(d64 < 1e-10, `row ${b}: float64 PyTorch differs by ${d64}`);
        assert(d32 < 1e-5, `row ${b}: float32 PyTorch differs by ${d32}`);
      });
      await Deno.remove(root, { recursive: true });
    },
  });
}

Deno.test({
  name: "PyTorch's strict load rejects a renamed tensor (so names are really checked)",
  ignore: torchMissing,
  fn: async () => {
    const c = parseGptConfig({ vocab_size: 5, block_size: 4, n_layer: 1, n_head: 1, n_embd: 4 });
    const root = await Deno.makeTempDir();
    await saveModelDir(`${root}/model`, c, randomStateDict(c, new Rng(1)));
    const sd = randomStateDict(c, new Rng(1));
    const renamed: StateDict = new Map([...sd].map(([k, t]) => [k.replace("ln_f", "ln_final"), t]));
    await Deno.writeFile(`${root}/model/model.safetensors`, encodeSafetensors(renamed));
    const err = await runTorch(`${root}/model`, [[1, 2]], "float32").then(() => "", (e) => String(e));
    assertStringIncludes(err, "transformer.ln_f.weight");
    assertStringIncludes(err, "Missing key(s)");
    await Deno.remove(root, { recursive: true });
  },
});
