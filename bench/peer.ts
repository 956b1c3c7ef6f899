/**
 * `deno task bench:peer`: our training step and KV-cache sampler beside an
 * identical PyTorch model (bench/torch_peer.py on Debian's python3-torch),
 * alternating A B A B over rounds, one thread each. Prints the median ratios
 * ours/PyTorch against the targets of issue 12 (training on the reference
 * model and on an n_embd 256, 4-layer, ctx 64 model; sampling with the KV
 * cache; the aggregate tokens/s of a two-process sweep, bench/bench_worker.ts
 * through the sweep's worker pool, against PyTorch's single process), our peak
 * wasm heap per model, and our training GFLOP/s as a share of the machine's
 * measured single-thread matmul ceiling (numpy on OpenBLAS).
 *
 *   deno task bench:peer [--rounds N] [--steps N] [--scaling] [--json] [--save FILE]
 *
 * --save writes the printed report to FILE (bench/results/peer.md is the one
 * the README quotes).
 * --scaling adds training tokens/s for n_embd 32/64/128/256 x batch 16/64/256.
 * Installs nothing: without python3-torch it stops and says how to install it.
 */
import * as tf from "@tensorflow/tfjs";
import process from "node:process";
import { backendInfo, selectBackend } from "../lib/core/backend.ts";
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
/** The wasm heap's size now: it never shrinks, so after a model's runs it is the peak so far. */
const heapMB = () => {
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm;
  return wasm ? wasm.HEAPU8.byteLength / 2 ** 20 : NaN;
};
/** The larger training model of the targets (the spike's: n_embd 256, 4 layers, ctx 64). */
const LARGE: WorkloadShape = { ...REFERENCE_SHAPE, n_embd: 256, n_layer: 4, ctx: 64 };
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
  const cpu = { ours: [] as number[], torch: [] as number[] };
  for (let r = 0; r < nRounds; r++) {
    const c0 = process.cpuUsage();
    t.ours.push(ours.timeTrain(nSteps));
    const used = process.cpuUsage(c0);
    cpu.ours.push(nSteps * shape.batch * shape.ctx / ((used.user + used.system) / 1e6));
    const torch = await peer.send({ cmd: "train", steps: nSteps });
    t.torch.push(torch.tokens_per_s);
    cpu.torch.push(torch.tokens_per_cpu_s);
    if (sample) {
      t.oursS.push(ours.timeSample());
      t.torchS.push((await peer.send({ cmd: "sample" })).tokens_per_s);
    }
  }
  ours.dispose();
  return {
    train: median(t.ours),
    torchTrain: median(t.torch),
    /** Tokens per CPU-second (what other jobs on the machine do not change). */
    trainCpu: median(cpu.ours),
    torchTrainCpu: median(cpu.torch),
    sample: sample ? median(t.oursS) : NaN,
    torchSample: sample ? median(t.torchS) : NaN,
  };
}

/**
 * Aggregate training tokens/s of `n` single-threaded worker processes started together, and the sum
 * of their tokens per CPU-second (their throughput with a free core each).
 */
async function sweepThroughput(shape: WorkloadShape, n: number, nSteps: number) {
  const startAt = Date.now() + 6000; // after every worker has loaded tfjs and warmed up
  const module = new URL("./bench_worker.ts", import.meta.url).pathname;
  const outs = await runPool(
    Array.from(
      { length: n },
      (_, i) => ({ label: `worker ${i}`, module, input: { shape, steps: nSteps, startAt } }),
    ),
    { concurrency: n },
  ) as { tokens: number; startMs: number; endMs: number; cpuSeconds: number }[];
  const wall = (Math.max(...outs.map((o) => o.endMs)) - Math.min(...outs.map((o) => o.startMs))) / 1000;
  return {
    tokensPerS: outs.reduce((a, o) => a + o.tokens, 0) / wall,
    perFreeCore: outs.reduce((a, o) => a + o.tokens / o.cpuSeconds, 0),
  };
}

try {
  await checkTorch();
  const backend = await selectBackend({ quiet: true });
  const info = backendInfo();
  const s = REFERENCE_SHAPE;
  const peer = new TorchPeer(1);
  say(
    `bench:peer at commit ${await commit()} on ${navigator.hardwareConcurrency} cores; ours: tfjs ${backend.label}` +
      `${
        info.blasCore ? ` (OpenBLAS ${info.blasCore} kernels)` : ""
      }, single-threaded; PyTorch ${"1.13"} eager ` +
      "with 1 thread (torch.set_num_threads(1), OpenBLAS 1 thread)",
  );
  say(
    `reference model: vocab ${s.vocab}, ctx ${s.ctx}, n_embd ${s.n_embd}, ${s.n_layer} layers, ${s.n_head} heads, ` +
      `MLP ${
        4 * s.n_embd
      }, AdamW, clip 1.0; batch ${s.batch}; sampling ${s.new} new tokens a row with a KV cache`,
  );
  say(`large model: the same with n_embd ${LARGE.n_embd}, ${LARGE.n_layer} layers, ctx ${LARGE.ctx}`);
  say(`rounds: ${rounds} alternating (ours, PyTorch), ${steps} training steps a round (large: 2); medians`);
  const r = await sideBySide(s, peer, rounds, steps, true);
  const refHeap = heapMB();
  const large = await sideBySide(LARGE, peer, rounds, 2, false);
  const largeHeap = heapMB();
  // The sweep alternates with PyTorch's single process too (its workers start anew each round).
  const sweeps: number[] = [],
    sweepsCpu: number[] = [],
    torchSingle: number[] = [],
    torchSingleCpu: number[] = [];
  await peer.send({ cmd: "setup", ...s }); // the peer holds the large model since the row above
  for (let i = 0; i < Math.min(rounds, 3); i++) {
    const sw = await sweepThroughput(s, 2, steps * 4);
    sweeps.push(sw.tokensPerS);
    sweepsCpu.push(sw.perFreeCore);
    const single = await peer.send({ cmd: "train", steps: steps * 4 });
    torchSingle.push(single.tokens_per_s);
    torchSingleCpu.push(single.tokens_per_cpu_s);
  }
  const sweep = median(sweeps), torchSweepRef = median(torchSingle);
  const row = (
    what: string,
    ours: number,
    torch: number,
    oursCpu: number,
    torchCpu: number,
    target: number,
  ) => {
    const q = ours / torch;
    say(
      `| ${what.padEnd(40)} | ${fmt(ours).padStart(9)} | ${fmt(torch).padStart(9)} | ${
        ratio(ours, torch).padStart(5)
      } ` +
        `| ${(Number.isFinite(oursCpu) ? ratio(oursCpu, torchCpu) : "-").padStart(13)} | ` +
        `${(">= " + target.toFixed(1)).padStart(6)} ` +
        `${q >= target ? "met    " : "not met"} |`,
    );
  };
  say("");
  say(
    `| ${"measure (tokens/s)".padEnd(40)} | ${"ours".padStart(9)} | ${
      "PyTorch".padStart(9)
    } | ratio | ratio per CPU | ` +
      "target         |",
  );
  say(`| ${"-".repeat(40)} | --------- | --------- | ----- | ------------- | -------------- |`);
  row("training, reference model", r.train, r.torchTrain, r.trainCpu, r.torchTrainCpu, 0.8);
  row(
    `training, n_embd ${LARGE.n_embd}, ${LARGE.n_layer} layers, ctx ${LARGE.ctx}`,
    large.train,
    large.torchTrain,
    large.trainCpu,
    large.torchTrainCpu,
    0.9,
  );
  row("sampling with the KV cache", r.sample, r.torchSample, NaN, NaN, 1.0);
  row(
    "2-process sweep vs PyTorch's 1 process",
    sweep,
    torchSweepRef,
    median(sweepsCpu),
    median(torchSingleCpu),
    1.5,
  );
  say("");
  say(
    "ratio per CPU: tokens per CPU-second of each side (process CPU time), which other jobs on the machine do not " +
      "change; for the sweep, the sum of its workers' rates (its throughput with a free core each) over PyTorch's",
  );
  const ceiling = (await peer.send({ cmd: "matmul", n: 512, reps: 10 })).gflops;
  const share = (shape: WorkloadShape, tokensPerS: number) => {
    const gflops = trainFlopsPerStep(shape) * (tokensPerS / (shape.batch * shape.ctx)) / 1e9;
    return `${gflops.toFixed(1)} GFLOP/s = ${(100 * gflops / ceiling).toFixed(0)}%`;
  };
  say("");
  say(
    `2-process sweep: ${
      ratio(sweep, r.train)
    }x our single process (rounds of its own, not alternated with it)`,
  );
  say(`peak wasm heap: reference model ${refHeap.toFixed(0)} MB, large model ${largeHeap.toFixed(0)} MB`);
  say(
    `matmul ceiling (numpy/OpenBLAS float32 512x512, 1 thread): ${
      ceiling.toFixed(1)
    } GFLOP/s; training reaches`,
  );
  say(
    `  reference model (${(trainFlopsPerStep(s) / 1e9).toFixed(3)} GFLOP a step): ours ${
      share(s, r.train)
    }, ` +
      `PyTorch ${share(s, r.torchTrain)} of it`,
  );
  say(
    `  large model (${(trainFlopsPerStep(LARGE) / 1e9).toFixed(2)} GFLOP a step): ours ${
      share(LARGE, large.train)
    }, ` +
      `PyTorch ${share(LARGE, large.torchTrain)} of it`,
  );
  const achieved = trainFlopsPerStep(s) * (r.train / (s.batch * s.ctx)) / 1e9;
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
  if (flags.json) {
    console.log(
      JSON.stringify({
        lines,
        train: r,
        large,
        sweep,
        ceiling,
        achieved,
        heapMB: { reference: refHeap, large: largeHeap },
      }),
    );
  }
} catch (e) {
  if (e instanceof LabError) {
    console.error(`error: ${e.message}`);
    Deno.exit(1);
  }
  throw e;
}
