/**
 * Worker process of runSweep: one run of the named trainer through the run
 * cache, its progress relayed to the parent as JSON lines (lib/core/worker_pool.ts).
 */
import { serveWorker } from "../core/worker_pool.ts";
import { type TrainerName, TRAINERS } from "./registry.ts";

if (import.meta.main) {
  await serveWorker(async (input, progress) => {
    const { trainer, config, root } = input as { trainer: TrainerName; config: unknown; root?: string };
    let steps = 0;
    const run = await TRAINERS[trainer].run(config, {
      root,
      progress: {
        update: (step, total, metrics) => progress({ step, total, metrics }),
        done: () => {},
      },
      onMetrics: (m) => steps = m.step,
    });
    return { key: run.key, cached: run.cached, summary: `${steps} steps` };
  });
}
