/**
 * HOOK FOR THE LEAD'S MODEL: the tfjs model (lib/model/gpt.ts, `Gpt`) against
 * both references — the float64 TypeScript forward pass (gpt_reference.ts) and
 * PyTorch loading our saved files strictly (gpt_torch.py) — to 1e-4 on
 * log-probs, for every activation, both position kinds, with and without bias.
 *
 * The API it relies on: `Gpt.fromStateDict(config, sd)`,
 * `gpt.logProbs(tokens: number[][]): number[][][]` (log-softmax [B][T][V]),
 * `gpt.stateDict()` (nanoGPT layout) and `gpt.dispose()`. Runs on wasm, the
 * backend CI uses (tests/helpers/tiny.ts).
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { referenceLogProbs } from "./gpt_reference.ts";
import { MODEL_VARIANTS, randomRows, randomStateDict } from "./random_weights.ts";
import { runTorch, torchMissing } from "./torch_peer.ts";
import { useWasm } from "../helpers/tiny.ts";
import { Gpt } from "../../lib/model/gpt.ts";
import { parseGptConfig } from "../../lib/model/config.ts";
import { saveModelDir } from "../../lib/model/checkpoint.ts";
import { Rng } from "../../lib/core/rng.ts";

await useWasm();

const TOL = 1e-4;

function maxDiff(a: number[][], b: number[][]): number {
  assertEquals([a.length, a[0].length], [b.length, b[0].length]);
  let m = 0;
  a.forEach((row, t) => row.forEach((v, i) => (m = Math.max(m, Math.abs(v - b[t][i])))));
  return m;
}

/** A 2-layer model with sharp random weights (N(0, 0.5^2)), so log-probs are far from uniform. */
function fixture(v: typeof MODEL_VARIANTS[number], seed: number) {
  const config = parseGptConfig({ vocab_size: 13, block_size: 12, n_layer: 2, n_head: 2, n_embd: 16, ...v });
  const sd = randomStateDict(config, new Rng(seed));
  return { config, sd, rows: randomRows(new Rng(seed + 1), 3, 12, 13) };
}

Deno.test("tfjs stateDict() round-trips the state dict it was built from", () => {
  const { config, sd } = fixture(MODEL_VARIANTS[0], 1);
  const m = Gpt.fromStateDict(config, sd);
  assertEquals(m.stateDict(), sd);
  m.dispose();
});

for (const [i, v] of MODEL_VARIANTS.entries()) {
  const name = `${v.activation}/${v.position}/bias=${v.bias}`;

  Deno.test(`tfjs model = float64 TS reference to ${TOL} (${name})`, () => {
    const { config, sd, rows } = fixture(v, 10 * i);
    const m = Gpt.fromStateDict(config, sd);
    const ours = m.logProbs(rows);
    m.dispose();
    rows.forEach((r, b) => {
      const ref = referenceLogProbs(config, sd, r);
      const spread = Math.max(...ref[11]) - Math.min(...ref[11]);
      assert(spread > 1, `log-probs too flat to be a sharp test (spread ${spread})`);
      const d = maxDiff(ours[b], ref);
      assert(d < TOL, `row ${b}: tfjs differs from the reference by ${d}`);
    });
    // A prefix gives the same log-probs as the full row at the same positions (causality).
    const m2 = Gpt.fromStateDict(config, sd);
    const prefix = m2.logProbs([rows[0].slice(0, 5)]);
    m2.dispose();
    prefix[0].forEach((row, t) => row.forEach((lp, k) => assertAlmostEquals(lp, ours[0][t][k], TOL)));
  });

  Deno.test({
    name: `tfjs model = PyTorch (strict load of our saved dir) to ${TOL} (${name})`,
    ignore: torchMissing,
    fn: async () => {
      const { config, sd, rows } = fixture(v, 10 * i + 5);
      const m = Gpt.fromStateDict(config, sd);
      const root = await Deno.makeTempDir();
      await saveModelDir(`${root}/model`, config, m.stateDict()); // what the lab saves, as saved
      const torch = await runTorch(`${root}/model`, rows, "float32");
      const ours = m.logProbs(rows);
      m.dispose();
      rows.forEach((_, b) => {
        const d = maxDiff(ours[b], torch[b]);
        assert(d < TOL, `row ${b}: tfjs differs from PyTorch by ${d}`);
      });
      await Deno.remove(root, { recursive: true });
    },
  });
}
