/**
 * The slurm engine against a real Slurm (a single-node cluster on loopback,
 * tests/helpers/slurm_cluster.ts): a sweep of six tiny SFT runs and one that
 * diverges. One task is cancelled mid-run and requeued: it resumes from its
 * checkpoint. The diverging run is tried three times and reported with its log
 * tail while the rest complete. Every result arrives exactly once and is
 * bit-identical (metrics, samples, model bytes) to the local engine's.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { listRuns } from "../../lib/core/run_cache.ts";
import { tinySftConfig } from "../helpers/tiny.ts";
import { slurmMissing, startCluster, type TestCluster } from "../helpers/slurm_cluster.ts";
import { loadSweep, type RunStatus, runSweepPlan, sweepStatus, watchSweep } from "../../lib/sweep/mod.ts";
import { LiveTraining } from "../../lib/notebook/live_training.ts";
import { sweepView } from "../../lib/notebook/sweep_view.ts";
import { requeue, scancel, squeueTasks } from "../../lib/sweep/slurm_client.ts";
import { jobName, readSubmissions } from "../../lib/sweep/slurm_engine.ts";
import { checkpointStep } from "../../lib/sweep/status.ts";

const missing = slurmMissing();
if (missing) console.log(`skipped the Slurm engine test: ${missing}`);

const LONG = 160; // the run cancelled mid-run: long enough to catch between checkpoints
const base = tinySftConfig({
  steps: 40,
  eval_every: 20,
  checkpoint_every: 5,
  model: { n_layer: 1, n_head: 2, n_embd: 16, block_size: 24 },
});
const sweepFile = {
  name: "engine-test",
  trainer: "sft",
  base,
  variants: [
    { seed: 5, steps: LONG }, // first, so it starts at once
    { seed: 6, lr: 1e9, min_lr: 0, grad_clip: 0 }, // diverges at step 2, every time
    ...[0, 1, 2, 3, 4].map((seed) => ({ seed })),
  ],
  slurm: { mem: "500M", time: "00:05:00", max_attempts: 3 },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A stored result without the fields that say how the run went (wall time, resume step). */
async function stored(dir: string) {
  const { wallSeconds: _w, resumedFrom: _r, ...rest } = JSON.parse(
    await Deno.readTextFile(`${dir}/result.json`),
  );
  return { result: rest, model: await Deno.readFile(`${dir}/model/model.safetensors`) };
}

Deno.test({
  name: "slurm engine: 7-run sweep, one task cancelled and requeued, one failing 3 times; results as local",
  ignore: missing !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "hl-sweep-" });
    let cluster: TestCluster | undefined;
    try {
      cluster = await startCluster();
      Deno.env.set("SLURM_CONF", cluster.conf);
      await Deno.writeTextFile(`${tmp}/engine.json`, JSON.stringify(sweepFile));
      const plan = await loadSweep(`${tmp}/engine.json`, { root: `${tmp}/slurm` });
      const [victim, bad, good] = [plan.runs[0], plan.runs[1], [plan.runs[0], ...plan.runs.slice(2)]];

      // Submit without following: one array of seven tasks.
      await runSweepPlan(plan, { engine: "slurm", wait: false, log: () => {} });
      const [sub] = await readSubmissions(plan);
      assertEquals(sub.keys, plan.runs.map((r) => r.key));
      const task = `${sub.jobId}_0`;

      // Cancel the long run once it has a checkpoint, well before its end.
      const step = await until("the long run's first checkpoint", async () => {
        const s = await checkpointStep(victim.dir);
        return s !== undefined && s >= 5 ? s : undefined;
      });
      await scancel([task]);
      await until("the cancelled state", async () => {
        const t = (await squeueTasks(jobName(plan))).find((t) => `${t.jobId}_${t.index}` === task);
        return t?.state === "CANCELLED" ? t : undefined;
      });
      const cut = (await checkpointStep(victim.dir))!;
      assert(cut >= step && cut < LONG, `cancelled at checkpoint ${cut} of ${LONG}`);
      assertEquals(await Deno.stat(`${victim.dir}/manifest.json`).then(() => true, () => false), false);
      const seen = (await sweepStatus(plan))[0];
      assertEquals([seen.state, seen.task], ["cancelled", task]);

      // Requeue it, then follow the sweep to the end.
      await requeue([task]);
      const live = new LiveTraining({ title: "engine-test", quiet: true }); // what a notebook shows
      const end = await runSweepPlan(plan, {
        engine: "slurm",
        pollS: 0.3,
        log: () => {},
        onStatus: sweepView(live, plan),
      });
      assertEquals(end.map((s) => s.state), ["done", "failed", "done", "done", "done", "done", "done"]);
      assertEquals(live.rows().map((r) => r.status.split(":")[0]), end.map((s) => s.state));
      assertEquals(live.rows()[0].step, LONG); // its curve, read from the store
      assertEquals((await watchSweep(plan, { pollS: 0.1 })).map((s) => s.state), end.map((s) => s.state));

      // The requeued run resumed from the checkpoint it was cancelled after.
      const resumed = JSON.parse(await Deno.readTextFile(`${victim.dir}/result.json`)).resumedFrom;
      assertEquals(resumed, cut);
      const victimLog = await Deno.readTextFile(`${plan.dir}/logs/${task}.out`);
      assertStringIncludes(victimLog, "(restart 0)");
      assertStringIncludes(victimLog, `CANCELLED AT`);
      assertStringIncludes(victimLog, "(restart 1)");
      assertStringIncludes(victimLog, `resumed from the checkpoint at step ${cut}`);

      // The diverging run: three submissions, reported with its log tail.
      const failed = end[1] as RunStatus;
      assertEquals(failed.attempts, 3);
      assertEquals((await readSubmissions(plan)).filter((s) => s.keys.includes(bad.key)).length, 3);
      // The step it diverges at depends on the kernels (native or stock), not on the engine.
      assertMatch(failed.detail, /exit 1: error: training diverged at step \d+: loss=NaN/);
      assert(failed.logTail!.some((l) => l.startsWith("error: training diverged")));

      // Each result exactly once: six complete entries, nothing partial, moved aside or locked.
      const entries = await listRuns(`${tmp}/slurm`, "sft");
      assertEquals(
        entries.map((e) => [e.key, e.status]),
        good.map((r) => [r.key, "ok"]).sort(),
      );
      const names = [...Deno.readDirSync(`${tmp}/slurm/sft`)].map((e) => e.name).sort();
      assertEquals(names, [...good.map((r) => r.key), `${bad.key}.work`].sort());

      // Each computed exactly once: one "computed run" line in all of its tasks' logs.
      const logs = await Promise.all(
        [...Deno.readDirSync(`${plan.dir}/logs`)].map((e) => Deno.readTextFile(`${plan.dir}/logs/${e.name}`)),
      );
      for (const r of good) {
        const computed = logs.join("\n").split("\n").filter((l) => l.startsWith(`computed run sft/${r.key}`));
        assertEquals(computed.length, 1, `run '${r.label}' computed ${computed.length} times`);
      }

      // The local engine, same runs, another store: bit-identical results.
      const local = await loadSweep(`${tmp}/engine.json`, { root: `${tmp}/local` });
      const localGood = local.runs.filter((r) => r.key !== bad.key);
      const here = await runSweepPlan({ ...local, runs: localGood }, { engine: "local", workers: 2 });
      assertEquals(here.map((s) => s.state), Array(6).fill("done"));
      for (const [i, r] of good.entries()) {
        const [a, b] = [await stored(r.dir), await stored(localGood[i].dir)];
        assertEquals(a.result, b.result, `run '${r.label}'`);
        assertEquals(a.model, b.model, `run '${r.label}': model bytes`);
      }
    } finally {
      Deno.env.delete("SLURM_CONF");
      const pids = cluster?.pids ?? [];
      await cluster?.stop();
      const alive = pids.filter((p) => {
        try {
          return Deno.statSync(`/proc/${p}`).isDirectory;
        } catch {
          return false;
        }
      });
      assertEquals(alive, [], "every daemon the test started is stopped");
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
