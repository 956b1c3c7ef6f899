/**
 * `deno task bench:peer`: our training step and KV-cache sampler beside an
 * identical PyTorch model (bench/torch_peer.py on Debian's python3-torch),
 * alternating A B A B over rounds, one thread each. Prints the median ratios
 * ours/PyTorch, our training GFLOP/s as a fraction of the machine's measured
 * single-thread matmul ceiling (numpy on OpenBLAS), and the aggregate tokens/s
 * of a two-process sweep (bench/bench_worker.ts through the sweep's worker
 * pool) against PyTorch's single process.
 *
 *   deno task bench:peer [--rounds N] [--steps N] [--scaling] [--json] [--save FILE]
 *
 * --save writes the printed report to FILE (bench/results/peer.md is the one
 * the README quotes).
 * --scaling adds training tokens/s for n_embd 32/64/128/256 x batch 16/64/256.
 * Installs nothing: without python3-torch it stops and says how to install it.
 */
import { selectBackend } from "../lib/core/backend.ts";
import { LabError } from "../lib/core/errors.ts";
import { runPool } from "../lib/core/worker_pool.ts";
import { numberFlag, parseFlags } from "../lib/cli/args.ts";
import { checkTorch, TorchPeer } from "./peer/torch_server.ts";
import { median, REFERENCE_SHAPE, trainFlopsPerStep, Workload, type WorkloadShape } from "./workload.ts";

const flags = parseFlags(
  "bench:peer",
  Deno.args,
  { string: ["rounds", "steps", "save"], boolean: ["json", "scaling"] },
  "bench:peer [--rounds N] [--steps N] [--scaling] [--json] [--save FILE]",
);
const rounds = numberFlag("bench:peer", "rounds", flags.rounds, 5);
const steps = numberFlag("bench:peer", "steps", flags.steps, 8);

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
const ratio = (a: number, b: number) => (a / b).toFixed(2);
const lines: string[] = [];
const say = (s: string) => {
  lines.push(s);
  if (!flags.json) console.log(s);
};

async function commit(): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["rev-parse", "--short", "HEAD"],
    stdout: "piped",
    stderr: "null",
  })
    .output().catch(() => undefined);
  const dirty = await new Deno.Command("git", {
    args: ["status", "--porcelain", "--untracked-files=no"],
    stdout: "piped",
  })
    .output().catch(() => undefined);
  const sha = out?.success ? new TextDecoder().decode(out.stdout).trim() : "unknown";
  return dirty && new TextDecoder().decode(dirty.stdout).trim() ? `${sha}+uncommitted` : sha;
}

/** Alternate ours and PyTorch on one shape; medians of tokens/s. */
async function sideBySide(
  shape: WorkloadShape,
  peer: TorchPeer,
  nRounds: number,
  nSteps: number,
  sample: boolean,
) {
  const ours = new Workload(shape);
  await peer.send({ cmd: "setup", ...shape });
  ours.timeTrain(2);
  if (sample) ours.timeSample();
  const t = { ours: [] as number[], torch: [] as number[], oursS: [] as number[], torchS: [] as number[] };
  for (let r = 0; r < nRounds; r++) {
    t.ours.push(ours.timeTrain(nSteps));
    t.torch.push((await peer.send({ cmd: "train", steps: nSteps })).tokens_per_s);
    if (sample) {
      t.oursS.push(ours.timeSample());
      t.torchS.push((await peer.send({ cmd: "sample" })).tokens_per_s);
    }
  }
  ours.dispose();
  return {
    train: median(t.ours),
    torchTrain: median(t.torch),
    sample: sample ? median(t.oursS) : NaN,
    torchSample: sample ? median(t.torchS) : NaN,
  };
}

/** Aggregate training tokens/s of `n` single-threaded worker processes started together. */
async function sweepThroughput(shape: WorkloadShape, n: number, nSteps: number): Promise<number> {
  const startAt = Date.now() + 6000; // after every worker has loaded tfjs and warmed up
  const module = new URL("./bench_worker.ts", import.meta.url).pathname;
  const outs = await runPool(
    Array.from(
      { length: n },
      (_, i) => ({ label: `worker ${i}`, module, input: { shape, steps: nSteps, startAt } }),
    ),
    { concurrency: n },
  ) as { tokens: number; startMs: number; endMs: number }[];
  const wall = (Math.max(...outs.map((o) => o.endMs)) - Math.min(...outs.map((o) => o.startMs))) / 1000;
  return outs.reduce((a, o) => a + o.tokens, 0) / wall;
}

try {
  await checkTorch();
  const backend = await selectBackend({ quiet: true });
  const s = REFERENCE_SHAPE;
  const peer = new TorchPeer(1);
  say(
    `bench:peer at commit ${await commit()} on ${navigator.hardwareConcurrency} cores; ours: tfjs ${backend.name} ` +
      `(single-threaded), PyTorch ${"1.13"} eager with 1 thread (torch.set_num_threads(1), OpenBLAS 1 thread)`,
  );
  say(
    `model: vocab ${s.vocab}, ctx ${s.ctx}, n_embd ${s.n_embd}, ${s.n_layer} layers, ${s.n_head} heads, ` +
      `MLP ${
        4 * s.n_embd
      }, AdamW, clip 1.0; batch ${s.batch}; sampling ${s.new} new tokens a row with a KV cache`,
  );
  say(`rounds: ${rounds} alternating (ours, PyTorch), ${steps} training steps a round; medians`);
  const r = await sideBySide(s, peer, rounds, steps, true);
  say("");
  say(`| measure                 | ours         | PyTorch      | ours/PyTorch |`);
  say(`| ----------------------- | ------------ | ------------ | ------------ |`);
  say(
    `| training tokens/s       | ${fmt(r.train).padStart(12)} | ${fmt(r.torchTrain).padStart(12)} | ${
      ratio(r.train, r.torchTrain).padStart(12)
    } |`,
  );
  say(
    `| sampling tokens/s (KV)  | ${fmt(r.sample).padStart(12)} | ${fmt(r.torchSample).padStart(12)} | ${
      ratio(r.sample, r.torchSample).padStart(12)
    } |`,
  );
  const sweep = await sweepThroughput(s, 2, steps * 4);
  say(
    `| 2-process sweep, train  | ${fmt(sweep).padStart(12)} | ${fmt(r.torchTrain).padStart(12)} | ${
      ratio(sweep, r.torchTrain).padStart(12)
    } |`,
  );
  const ceiling = (await peer.send({ cmd: "matmul", n: 512, reps: 10 })).gflops;
  const achieved = trainFlopsPerStep(s) * (r.train / (s.batch * s.ctx)) / 1e9;
  const torchAchieved = trainFlopsPerStep(s) * (r.torchTrain / (s.batch * s.ctx)) / 1e9;
  say("");
  say(`matmul ceiling (numpy/OpenBLAS float32 512x512, 1 thread): ${ceiling.toFixed(1)} GFLOP/s`);
  say(
    `training achieves ${achieved.toFixed(2)} GFLOP/s = ${
      (100 * achieved / ceiling).toFixed(1)
    }% of the ceiling ` +
      `(PyTorch ${torchAchieved.toFixed(2)} GFLOP/s = ${(100 * torchAchieved / ceiling).toFixed(1)}%); ` +
      `${(trainFlopsPerStep(s) / 1e9).toFixed(3)} GFLOP a step`,
  );
  if (flags.scaling) {
    say("");
    say("scaling: training tokens/s, ours / PyTorch (ratio), alternating, median of 3");
    say("| n_embd | batch 16 | batch 64 | batch 256 |");
    say("| ------ | -------- | -------- | --------- |");
    for (const d of [32, 64, 128, 256]) {
      const cells: string[] = [];
      for (const b of [16, 64, 256]) {
        const shape = { ...s, n_embd: d, batch: b };
        const n = Math.max(2, Math.round(2e9 / trainFlopsPerStep(shape))); // about 2 GFLOP a measurement
        const x = await sideBySide(shape, peer, 3, n, false);
        cells.push(`${fmt(x.train)} / ${fmt(x.torchTrain)} (${ratio(x.train, x.torchTrain)})`);
      }
      say(`| ${String(d).padStart(6)} | ${cells.join(" | ")} |`);
    }
  }
  await peer.close();
  if (flags.save) await Deno.writeTextFile(flags.save as string, "```text\n" + lines.join("\n") + "\n```\n");
  if (flags.json) console.log(JSON.stringify({ lines, train: r, sweep, ceiling, achieved }));
} catch (e) {
  if (e instanceof LabError) {
    console.error(`error: ${e.message}`);
    Deno.exit(1);
  }
  throw e;
}
