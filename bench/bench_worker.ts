/**
 * Worker process for the sweep part of `deno task bench:peer`: trains the
 * benchmark workload for `steps` steps (after a warm-up) and reports the
 * tokens trained and the wall-clock interval (epoch ms), so the parent can
 * compute the aggregate throughput of workers running side by side.
 */
import { selectBackend } from "../lib/core/backend.ts";
import { serveWorker } from "../lib/core/worker_pool.ts";
import { Workload, type WorkloadShape } from "./workload.ts";

if (import.meta.main) {
  await serveWorker(async (input) => {
    const { shape, steps, startAt } = input as { shape: WorkloadShape; steps: number; startAt: number };
    const backend = await selectBackend({ quiet: true });
    const work = new Workload(shape);
    work.timeTrain(2);
    // Start together: wait for the agreed wall-clock instant, so warm-ups are not overlapped with work.
    await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
    const t0 = Date.now();
    let tokens = 0;
    for (let i = 0; i < steps; i++) tokens += work.trainStep();
    const t1 = Date.now();
    work.dispose();
    return { backend: backend.name, tokens, startMs: t0, endMs: t1 };
  });
}
