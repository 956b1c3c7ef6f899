import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { Rng } from "../core/rng.ts";
import { useWasm } from "../../tests/helpers/tiny.ts";
import { Gpt } from "../model/gpt.ts";
import { parseGptConfig } from "../model/config.ts";
import { encode, VOCAB_SIZE } from "../tasks/tokenizer.ts";
import { MemoryBank } from "./memory_bank.ts";
import { EmbeddingIndex, EmbeddingRetriever } from "./retrieval_embedding.ts";

await useWasm();

/** Cosine of mean-pooled (positions 1..T-1) final hidden states, computed one prompt at a time. */
function bruteCosine(model: Gpt, a: string, b: string): number {
  const pool = (p: string) =>
    tf.tidy(() => {
      const h = model.hiddenStates(tf.tensor2d([encode(p)], undefined, "int32")); // [1, T, C]
      return Array.from(tf.mean(tf.slice(h, [0, 1, 0], [1, p.length - 1, -1]), 1).dataSync());
    });
  const x = pool(a), y = pool(b);
  const dot = x.reduce((s, v, i) => s + v * y[i], 0);
  return dot / (Math.hypot(...x) * Math.hypot(...y));
}

Deno.test("embedding retrieval equals a brute-force cosine over pooled hidden states, as the bank grows", () => {
  const model = Gpt.init(
    parseGptConfig({ vocab_size: VOCAB_SIZE, block_size: 16, n_layer: 1, n_embd: 16, n_head: 2 }),
    new Rng(9),
  );
  const rng = new Rng(2);
  const word = () => "^" + Array.from({ length: 6 }, () => "abcdefghijklmnop"[rng.int(16)]).join("") + "?";
  const prompts = Array.from({ length: 30 }, word);
  const bank = new MemoryBank(prompts.slice(0, 20).map((prompt) => ({ prompt, label: "A", level: 1 })));
  const retriever = new EmbeddingRetriever(model);
  const queries = [word(), word(), prompts[3]];
  const check = () => {
    const got = bank.scores(queries, retriever);
    queries.forEach((q, i) =>
      bank.prompts().forEach((p, j) => assertAlmostEquals(got[i][j], bruteCosine(model, q, p), 1e-4))
    );
  };
  check();
  bank.add(prompts.slice(20).map((prompt) => ({ prompt, label: "B", level: 2 })));
  check(); // the ten new entries are embedded, the old ones kept
  assertEquals(bank.nearest([prompts[3]], 1, retriever)[0][0].index, 3); // a prompt is nearest to itself
  retriever.dispose();
  const before = tf.memory().numTensors;
  const again = new EmbeddingRetriever(model);
  bank.scores(queries, again);
  again.dispose();
  assertEquals(tf.memory().numTensors, before); // nothing leaks
  model.dispose();
});

Deno.test("EmbeddingIndex: dot products with every entry, growing", () => {
  const index = new EmbeddingIndex(2);
  index.add(Float32Array.from([1, 0, 0, 1]));
  index.add(Float32Array.from([0.6, 0.8]));
  const [s] = index.scores(Float32Array.from([0.6, 0.8]));
  assertEquals([...s].map((x) => +x.toFixed(4)), [0.6, 0.8, 1]);
  index.dispose();
});
