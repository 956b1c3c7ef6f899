/**
 * Memory-bank retrieval speed for `deno task bench`: queries per second (a
 * batch of 128 queries, each scored against every entry, then the 5 nearest
 * picked) at 10^3, 10^4 and 10^5 entries, for TF-IDF over (slot, letter)
 * features and for cosine over embeddings. The bank holds precedent prompts
 * of world 1. Embedding queries include embedding the 128 query prompts with
 * the reference model (n_embd 64, 2 layers); the bank's embeddings are random
 * unit vectors, since embedding 10^5 entries is a one-off cost per model, not
 * a query cost.
 */
import { Rng } from "../lib/core/rng.ts";
import { parseGptConfig } from "../lib/model/config.ts";
import { Gpt } from "../lib/model/gpt.ts";
import { generatePrecedent, PrecedentSettingsSchema } from "../lib/tasks/precedent.ts";
import { VOCAB_SIZE } from "../lib/tasks/tokenizer.ts";
import { MemoryBank, tfidfRetriever } from "../lib/harness/memory_bank.ts";
import { EmbeddingIndex, embedPrompts } from "../lib/harness/retrieval_embedding.ts";
import { topK } from "../lib/harness/top_k.ts";

export const RETRIEVAL_SIZES = [1_000, 10_000, 100_000];
const QUERIES = 128, K = 5;

function prompts(n: number, rng: Rng): { prompt: string; label: string; level: number }[] {
  const s = PrecedentSettingsSchema.parse({});
  return Array.from({ length: n }, () => {
    const e = generatePrecedent(rng, 1 + rng.int(5), s);
    return { prompt: e.prompt, label: e.label, level: e.level };
  });
}

/** Queries per second of TF-IDF and embedding retrieval at each bank size. */
export function retrievalBench(): { entries: number; tfidf: number; embedding: number }[] {
  const rng = new Rng(7);
  const model = Gpt.init(parseGptConfig({ vocab_size: VOCAB_SIZE, block_size: 16 }), new Rng(0));
  const queries = prompts(QUERIES, rng).map((e) => e.prompt);
  const out = RETRIEVAL_SIZES.map((n) => {
    const bank = new MemoryBank(prompts(n, rng));
    bank.scores(queries.slice(0, 1), tfidfRetriever); // entry norms for this size
    let t0 = performance.now();
    bank.select(queries, tfidfRetriever, [{ k: K }]);
    const tfidf = QUERIES / ((performance.now() - t0) / 1000);
    const d = model.config.n_embd, index = new EmbeddingIndex(d);
    const vecs = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      let norm = 0;
      for (let j = 0; j < d; j++) norm += (vecs[i * d + j] = rng.normal()) ** 2;
      for (let j = 0; j < d; j++) vecs[i * d + j] /= Math.sqrt(norm);
    }
    index.add(vecs);
    index.scores(embedPrompts(model, queries.slice(0, 1))); // builds the [d, N] matrix
    t0 = performance.now();
    index.scores(embedPrompts(model, queries)).forEach((s) => topK(s, K));
    const embedding = QUERIES / ((performance.now() - t0) / 1000);
    index.dispose();
    return { entries: n, tfidf: Math.round(tfidf), embedding: Math.round(embedding) };
  });
  model.dispose();
  return out;
}
