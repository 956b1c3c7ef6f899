import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "@std/assert";
import { answerFacts, rankFacts } from "./fact_answers.ts";
import { Gpt } from "../model/gpt.ts";
import { parseGptConfig } from "../model/config.ts";
import { Rng } from "../core/rng.ts";
import { digitId, encode, VOCAB_SIZE } from "../tasks/tokenizer.ts";
import { useWasm } from "../../tests/helpers/tiny.ts";

await useWasm();

Deno.test("rankFacts: the argmax over digit logits at the last position, any batch split, no leak", () => {
  const m = Gpt.init(
    parseGptConfig({ vocab_size: VOCAB_SIZE, block_size: 32, n_layer: 1, n_embd: 16, n_head: 2 }),
    new Rng(7),
  );
  try {
    const prompts = ["^ab=", "^[ab=3,##=#]ab=", "^cd=", "^[##=#,cd=1]cd=", "^ef="];
    const before = tf.memory().numTensors;
    const ranks = rankFacts(m, prompts, 2);
    assertEquals(tf.memory().numTensors, before);
    assertEquals(answerFacts(m, prompts, 256), ranks.map((r) => r.digits[0]));
    prompts.forEach((p, i) => {
      const logits = tf.tidy(() =>
        m.logits(tf.tensor2d([encode(p)], [1, p.length], "int32")).arraySync()[0][p.length - 1]
      );
      const d = logits.map((_, id) => id).filter((id) => id >= digitId(0) && id <= digitId(9));
      const best = d.reduce((a, b) => (logits[b] > logits[a] ? b : a));
      assertEquals(ranks[i].digits[0], String(best - digitId(0)));
      assertEquals([...ranks[i].digits].sort(), [..."0123456789"]);
      assert(ranks[i].confidence > 0.1 - 1e-6 && ranks[i].confidence <= 1);
    });
  } finally {
    m.dispose();
  }
});
