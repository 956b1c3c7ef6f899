/**
 * `deno task bench`: training tokens/s, sampling tokens/s (KV cache) and
 * matmul GFLOP/s on the backend the lab selects (or HARNESSLAB_BACKEND), for
 * the reference model of ../shared/TOOLCHAIN.md (bench/workload.ts). Speed is
 * measured here, never asserted in tests. Each figure is the median of
 * `--rounds` rounds (default 5); then memory-bank retrieval queries/s at 10^3, 10^4
 * and 10^5 entries (bench/retrieval.ts). `deno task bench:peer` puts PyTorch beside it.
 */
import { selectBackend } from "../lib/core/backend.ts";
import { numberFlag, parseFlags } from "../lib/cli/args.ts";
import { matmulGflops, median, REFERENCE_SHAPE, Workload } from "./workload.ts";
import { retrievalBench } from "./retrieval.ts";

const flags = parseFlags(
  "bench",
  Deno.args,
  { string: ["rounds", "steps"], boolean: ["json"] },
  "bench [--rounds N] [--steps N] [--json]",
);
const rounds = numberFlag("bench", "rounds", flags.rounds, 5);
const stepsPerRound = numberFlag("bench", "steps", flags.steps, 8);

const backend = await selectBackend();
const s = REFERENCE_SHAPE;
const work = new Workload(s);
work.timeTrain(2);
work.timeSample();
const train: number[] = [], sample: number[] = [], gflops: number[] = [];
for (let r = 0; r < rounds; r++) {
  train.push(work.timeTrain(stepsPerRound));
  sample.push(work.timeSample());
  gflops.push(matmulGflops(256, 20));
}
const out = {
  backend: backend.label,
  model: `vocab ${s.vocab}, ctx ${s.ctx}, n_embd ${s.n_embd}, ${s.n_layer} layers, ${s.n_head} heads, MLP ${
    4 * s.n_embd
  }`,
  batch: s.batch,
  train_tokens_per_s: Math.round(median(train)),
  train_steps_per_s: +(median(train) / (s.batch * s.ctx)).toFixed(2),
  sample_tokens_per_s: Math.round(median(sample)),
  sample_new_tokens: s.new,
  matmul_256_gflops: +median(gflops).toFixed(2),
  rounds,
  retrieval_queries_per_s: retrievalBench(),
};
if (flags.json) console.log(JSON.stringify(out));
else {
  console.log(`backend ${out.backend}; ${out.model}; batch ${s.batch}; median of ${rounds} rounds`);
  console.log(
    `train   ${out.train_tokens_per_s} tokens/s (${out.train_steps_per_s} steps/s, ${s.ctx} tokens a row)`,
  );
  console.log(`sample  ${out.sample_tokens_per_s} tokens/s (KV cache, ${s.new} new tokens a row)`);
  console.log(`matmul  ${out.matmul_256_gflops} GFLOP/s (256x256 @ 256x256 float32)`);
  console.log(
    `retrieval queries/s (batch of 128, 5 nearest): ` +
      out.retrieval_queries_per_s.map((r) =>
        `${r.entries} entries: TF-IDF ${r.tfidf}, embedding ${r.embedding}`
      )
        .join("; "),
  );
}
work.dispose();
