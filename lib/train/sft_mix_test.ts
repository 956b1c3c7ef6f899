import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { Rng } from "../core/rng.ts";
import { useWasm } from "../../tests/helpers/tiny.ts";
import { Gpt } from "../model/gpt.ts";
import { parseGptConfig } from "../model/config.ts";
import { encode, VOCAB_SIZE } from "../tasks/tokenizer.ts";
import { buildBatch } from "./batch.ts";
import { groupByFormat, groupedLoss } from "./sft_mix.ts";
import { assertStringIncludes, assertThrows } from "@std/assert";
import { tinySftConfig } from "../../tests/helpers/tiny.ts";
import { LabError } from "../core/errors.ts";
import { parseSftConfig, trainSft } from "./sft.ts";
import { MemoryBank } from "../harness/memory_bank.ts";

await useWasm();

Deno.test("grouped loss = the token-weighted mean of one batch padded to its longest row", () => {
  const model = Gpt.init(
    parseGptConfig({ vocab_size: VOCAB_SIZE, block_size: 48, n_layer: 1, n_embd: 16, n_head: 2 }),
    new Rng(1),
  );
  const rows = [
    { format: "bare", prompt: "^3+4=", target: "3+4=7>7$" },
    { format: "trace", prompt: "^[3+4=7;7-2=5]3+4-2=", target: "3+4=7;7-2=5>5$" },
    { format: "bare", prompt: "^9-1=", target: "9-1=8>8$" },
  ];
  const groups = groupByFormat(rows);
  assertEquals(groups.map((g) => g.length), [2, 1]);
  const grouped = groupedLoss(model, groups, 48);
  const one = buildBatch(rows.map((r) => ({ prompt: encode(r.prompt), target: encode(r.target) })), 48);
  const T = one.ids[0].length;
  const single = tf.tidy(() =>
    model.loss(
      tf.tensor2d(one.ids, [3, T], "int32"),
      tf.tensor2d(one.targets, [3, T], "int32"),
      tf.tensor2d(one.weights, [3, T], "float32"),
    )
  );
  assertAlmostEquals(grouped.loss.dataSync()[0], single.dataSync()[0], 1e-5);
  assertEquals(grouped.tokens, one.lengths.reduce((a, b) => a + b, 0));
  tf.dispose([grouped.loss, single]);
  model.dispose();
});

const tinyPrecedent = (over: Record<string, unknown> = {}) =>
  tinySftConfig({
    model: { n_layer: 1, n_head: 2, n_embd: 16, block_size: 48 },
    task: { family: "precedent" },
    train_levels: [1, 3, 5],
    eval_set: "precedent_eval",
    eval_levels: [1, 5],
    mix: [{ format: "bare", weight: 1 }, { format: "draft" }, { format: "verify" }, { format: "trace" }],
    formats: { k: 2, confirmers: 2, challengers: 2, pool_worlds: 2, pool_bank: 30 },
    ...over,
  });

// [change, message fragment]: the mix's cross-field errors quote the values.
const bad: [Record<string, unknown>, string][] = [
  [
    { mix: [{ format: "draft" }] },
    "field 'mix.0.format': format 'draft' does not exist for arithmetic; use one of bare, plan",
  ],
  [
    { mix: [{ format: "plan", levels: [8] }] },
    "block_size 24 is too short for mix format 'plan' at level 8 (up to 30 tokens); raise block_size to 29",
  ],
  [{ mix: [{ format: "bare", levels: [20] }] }, "level 20 is not a arithmetic level (1..16)"],
  [{ mix: [{ format: "bare", weight: 0 }] }, "field 'mix.0.weight'"],
  [
    { bank_max: 10 },
    "bank_max keeps a memory bank of labelled examples, which only the precedent family has",
  ],
];
for (const [change, fragment] of bad) {
  Deno.test(`SFT mix config error: ${fragment}`, () => {
    const e = assertThrows(() => parseSftConfig(tinySftConfig(change)), LabError);
    assertStringIncludes(e.message, fragment);
  });
}
Deno.test("SFT mix config error: the precedent verify format needs room for its confirmers and challengers", () => {
  const e = assertThrows(
    () => parseSftConfig(tinyPrecedent({ formats: { k: 2, confirmers: 5, challengers: 5 } })),
    LabError,
  );
  assertStringIncludes(e.message, "block_size 48 is too short for mix format 'verify'");
});

Deno.test("SFT on a precedent mix trains, and keeps the home-world examples it trained on as the warm bank", async () => {
  const dir = await Deno.makeTempDir();
  const result = await trainSft(parseSftConfig(tinyPrecedent({ bank_max: 5 })), { outDir: dir });
  assertEquals([result.bankFile, result.bankSize], ["bank.json", 5]); // 9 bare examples drawn, capped at 5
  const bank = await MemoryBank.load(`${dir}/bank.json`);
  assertEquals(bank.size, 5);
  // home world only: every entry is a bare precedent prompt of world 1 with its label
  assertEquals(bank.entries().every((e) => /^\^[a-p]{6}\?$/.test(e.prompt) && /^[A-H]$/.test(e.label)), true);
  assertEquals(Number.isFinite(result.metrics.at(-1)!.loss as number), true);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the warm bank rides in the checkpoint: a resumed run saves the same bank", async () => {
  const work = await Deno.makeTempDir(), a = await Deno.makeTempDir(), b = await Deno.makeTempDir();
  const config = parseSftConfig(tinyPrecedent({ bank_max: 50, checkpoint_every: 3 }));
  const first = await trainSft(config, { workDir: work, outDir: a });
  const resumed = await trainSft(config, { workDir: work, outDir: b }); // finds the final checkpoint
  assertEquals([first.resumedFrom, resumed.resumedFrom], [0, 6]);
  assertEquals(await Deno.readTextFile(`${b}/bank.json`), await Deno.readTextFile(`${a}/bank.json`));
  for (const d of [work, a, b]) await Deno.remove(d, { recursive: true });
});
