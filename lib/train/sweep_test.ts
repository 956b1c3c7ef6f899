import { assertEquals, assertRejects } from "@std/assert";
import { LabError } from "../core/errors.ts";
import { tinySftConfig } from "../../tests/helpers/tiny.ts";
import { runPool } from "../core/worker_pool.ts";
import { runSft, type SftResult } from "./sft.ts";
import { runSweep } from "./sweep.ts";

// A different model from sft_test's (no position offsets, 32 context, checkpoints on) so workers resume-write too.
const tiny = (seed: number) =>
  tinySftConfig({ seed, model: { n_layer: 1, n_head: 2, n_embd: 16, block_size: 32 }, checkpoint_every: 3 });

Deno.test({
  name: "runSweep (SFT): parallel workers give the in-process results; a second call is all cache",
  sanitizeResources: false,
  fn: async () => {
    const a = await Deno.makeTempDir(), b = await Deno.makeTempDir();
    try {
      const runs = [0, 1].map((s) => ({ label: `seed ${s}`, config: tiny(s) }));
      const progress: Record<string, number> = {};
      const seen: [string, boolean][] = [];
      const swept = await runSweep<SftResult>("sft", runs, {
        workers: 2,
        root: a,
        progress: (label) => ({ update: (step) => progress[label] = step, done: () => {} }),
        onRun: (label, run) => seen.push([label, run.cached]),
      });
      assertEquals(progress, { "seed 0": 6, "seed 1": 6 });
      assertEquals(seen.sort(), [["seed 0", false], ["seed 1", false]]);
      for (let i = 0; i < 2; i++) {
        const alone = await runSft(tiny(i), { root: b });
        assertEquals(swept[i].key, alone.key);
        assertEquals(swept[i].result.metrics, alone.result.metrics); // bit-identical losses and accuracies
      }
      const again = await runSweep<SftResult>("sft", runs, { workers: 2, root: a });
      assertEquals(again.map((r) => r.cached), [true, true]);
    } finally {
      await Deno.remove(a, { recursive: true });
      await Deno.remove(b, { recursive: true });
    }
  },
});

Deno.test("runSweep (SFT): a bad config is rejected before any worker starts", async () => {
  await assertRejects(
    () => runSweep("sft", [{ label: "bad", config: { ...tiny(0), stepz: 3 } }], { workers: 2 }),
    LabError,
    "sweep run 'bad'",
  );
});

Deno.test({
  name: "runPool: a worker that dies is an error naming the job",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const mod = `${dir}/w.ts`;
      await Deno.writeTextFile(mod, 'console.error("worker stderr line"); Deno.exit(3);');
      await assertRejects(
        () => runPool([{ label: "dies", module: mod, input: {} }]),
        LabError,
        "worker 'dies' exited with code 3 before answering:\nworker stderr line",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
