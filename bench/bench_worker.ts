/**
 * Worker process for the sweep part of `deno task bench:peer`: trains the
 * benchmark workload for `steps` steps (after a warm-up) and reports the
 * tokens trained, the wall-clock interval (epoch ms) and the CPU seconds the
 * process used meanwhile, so the parent can compute the aggregate throughput
 * of workers running side by side, and their tokens per CPU-second (which
 * other jobs on the machine do not change).
 */
import process from "node:process";
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
    const t0 = Date.now(), cpu0 = process.cpuUsage();
    let tokens = 0;
    for (let i = 0; i < steps; i++) tokens += work.trainStep();
    const t1 = Date.now(), cpu = process.cpuUsage(cpu0);
    work.dispose();
    return {
      backend: backend.label,
      tokens,
      startMs: t0,
      endMs: t1,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
  });
}
