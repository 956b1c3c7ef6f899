import { assertEquals } from "@std/assert";
import type { RunStatus } from "../sweep/status.ts";
import { LiveTraining } from "./live_training.ts";
import { sweepView } from "./sweep_view.ts";

Deno.test("sweepView: a row per run, its checkpoint step while running, its stored curve once done", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/result.json`,
      JSON.stringify({ metrics: [{ step: 1, loss: 3 }, { step: 2, loss: 2 }] }),
    );
    const live = new LiveTraining({ title: "sweep", quiet: true });
    const onStatus = sweepView(live, { runs: [{ label: "a", dir }, { label: "b", dir: `${dir}/none` }] });
    const s = (label: string, state: RunStatus["state"], more: Partial<RunStatus> = {}): RunStatus => ({
      label,
      kind: "sft",
      key: "k",
      state,
      detail: "",
      attempts: 1,
      ...more,
    });
    await onStatus([
      s("a", "running", { detail: "on n1", step: 1, steps: 2 }),
      s("b", "pending", { detail: "queued (Priority)" }),
    ]);
    assertEquals(live.rows().map((r) => [r.series, r.step, r.total, r.status]), [
      ["a", 1, 2, "running: on n1"],
      ["b", 0, 0, "pending: queued (Priority)"],
    ]);
    await onStatus([s("a", "done"), s("b", "failed", { detail: "FAILED, exit 1: error: boom" })]);
    assertEquals(live.rows().map((r) => [r.series, r.step, r.status]), [
      ["a", 2, "done"],
      ["b", 0, "failed: FAILED, exit 1: error: boom"],
    ]);
    assertEquals(live.rows()[0].metrics, { loss: 2 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
