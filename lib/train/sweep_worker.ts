/**
 * Worker process of runSftSweep: one SFT run through the run cache, its
 * progress relayed to the parent as JSON lines (lib/core/worker_pool.ts).
 */
import { serveWorker } from "../core/worker_pool.ts";
import { runSft } from "./sft.ts";

if (import.meta.main) {
  await serveWorker(async (input, progress) => {
    const { config, root } = input as { config: unknown; root?: string };
    let steps = 0;
    const run = await runSft(config, {
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
