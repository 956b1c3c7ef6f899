/**
 * Cross-implementation checks of the model: the tfjs model (lib/model/gpt.ts)
 * against an independent float64 TypeScript forward pass and against PyTorch
 * loading our saved files with strict load_state_dict. Agreement to 1e-4 on
 * log-probs for every activation and position kind.
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { randomTokens, tinyModel, useWasm } from "../helpers/tiny.ts";
import { erf, referenceLogProbs } from "./gpt_reference.ts";
import { saveModelDir } from "../../lib/model/checkpoint.ts";
import { Gpt } from "../../lib/model/gpt.ts";
import { parseGptConfig } from "../../lib/model/config.ts";
import { Rng } from "../../lib/core/rng.ts";

await useWasm();

const PY = "/usr/bin/python3";
const torchMissing = await (async () => {
  try {
    const out = await new Deno.Command(PY, { args: ["-c", "import torch"], stderr: "null", stdout: "null" })
      .output();
    return !out.success;
  } catch {
    return true;
  }
})();
if (torchMissing) {
  console.error(
    "reference_test: /usr/bin/python3 has no torch; the PyTorch check is skipped (bash scripts/setup.sh installs python3-torch)",
  );
}

function maxDiff(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((row, t) => row.forEach((v, i) => (m = Math.max(m, Math.abs(v - b[t][i])))));
  return m;
}

Deno.test("erf helper matches known values", () => {
  assertAlmostEquals(erf(0.5), 0.5204998778130465, 1e-14);
  assertAlmostEquals(erf(-1.5), -0.9661051464753108, 1e-14);
  assertAlmostEquals(erf(3), 0.9999779095030014, 1e-14);
});

Deno.test("reference forward on a hand-computable 1-layer model: zero blocks pass embeddings through", () => {
  // With every block weight zero, each block adds 0; ln_f normalises wte[tok] + wpe[t];
  // logits = LN(x) . wte[v]. For x = [1, -1] (mean 0, var 1): LN(x) = [1, -1]/sqrt(1 + 1e-5).
  const c = parseGptConfig({ vocab_size: 3, block_size: 2, n_layer: 1, n_head: 1, n_embd: 2 });
  const m = Gpt.init(c, new Rng(0));
  const sd = m.stateDict();
  for (const [k, t] of sd) if (k.startsWith("transformer.h.")) t.data.fill(0);
  sd.get("transformer.wte.weight")!.data.set([1, -1, 2, 0, 0, 3]);
  sd.get("lm_head.weight")!.data.set([1, -1, 2, 0, 0, 3]);
  sd.get("transformer.wpe.weight")!.data.set([0, 0, 0, 0]);
  sd.get("transformer.ln_f.weight")!.data.set([1, 1]);
  sd.get("transformer.ln_f.bias")!.data.set([0, 0]);
  const s = 1 / Math.sqrt(1 + 1e-5);
  const logits = [2 * s, 2 * s, -3 * s]; // [1,-1].[1,-1], [1,-1].[2,0], [1,-1].[0,3]
  const lse = Math.log(logits.reduce((a, z) => a + Math.exp(z), 0));
  const ref = referenceLogProbs(c, sd, [0]);
  logits.forEach((z, v) => assertAlmostEquals(ref[0][v], z - lse, 1e-12));
  const tfjs = Gpt.fromStateDict(c, sd).logProbs([[0]]);
  logits.forEach((z, v) => assertAlmostEquals(tfjs[0][0][v], z - lse, 1e-5));
  m.dispose();
});

const variants = [
  { activation: "gelu", position: "learned", bias: true },
  { activation: "gelu_tanh", position: "learned", bias: false },
  { activation: "relu", position: "rotary", bias: true },
  { activation: "gelu", position: "rotary", bias: false },
] as const;

/** A tiny model with weights 4x the init scale, so logits are far from uniform. */
function sharpModel(v: typeof variants[number], seed: number): Gpt {
  const m = tinyModel({ ...v, vocab_size: 16, n_embd: 16, n_head: 2 }, seed);
  const sd = m.stateDict();
  for (const t of sd.values()) for (let i = 0; i < t.data.length; i++) t.data[i] *= 4;
  m.dispose();
  return Gpt.fromStateDict(m.config, sd);
}

for (const v of variants) {
  const name = `${v.activation}/${v.position}/bias=${v.bias}`;
  Deno.test(`tfjs model = float64 TS reference to 1e-4 (${name})`, () => {
    const m = sharpModel(v, 21);
    const sd = m.stateDict();
    const rows = randomTokens(new Rng(5), 2, 12, 16);
    const ours = m.logProbs(rows);
    const spread = Math.max(...ours[0][11]) - Math.min(...ours[0][11]);
    assert(spread > 1, `log-probs too flat for a sharp test (spread ${spread})`);
    rows.forEach((r, b) => {
      const d = maxDiff(ours[b], referenceLogProbs(m.config, sd, r));
      assert(d < 1e-4, `max |diff| ${d}`);
    });
    m.dispose();
  });

  Deno.test({
    name: `PyTorch loads our files strictly and reproduces our log-probs to 1e-4 (${name})`,
    ignore: torchMissing,
    fn: async () => {
      const m = sharpModel(v, 22);
      const dir = await Deno.makeTempDir();
      await saveModelDir(dir, m.config, m.stateDict());
      const rows = randomTokens(new Rng(6), 2, 10, 16);
      const out = await new Deno.Command(PY, {
        args: [
          new URL("./gpt_torch.py", import.meta.url).pathname,
          "--model",
          dir,
          ...rows.flatMap((r) => ["--tokens", r.join(",")]),
        ],
        stdout: "piped",
        stderr: "piped",
        env: { OMP_NUM_THREADS: "1" },
      }).output();
      const err = new TextDecoder().decode(out.stderr);
      assert(out.success, `gpt_torch.py failed: ${err}`);
      const torch: number[][][] = JSON.parse(new TextDecoder().decode(out.stdout));
      const ours = m.logProbs(rows);
      assertEquals(torch.length, 2);
      torch.forEach((lp, b) => {
        const d = maxDiff(ours[b], lp);
        assert(d < 1e-4, `max |diff| ${d}`);
      });
      m.dispose();
      await Deno.remove(dir, { recursive: true });
    },
  });
}
