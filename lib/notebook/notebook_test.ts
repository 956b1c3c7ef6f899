import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { LabError } from "../core/errors.ts";
import { JUPYTER_DISPLAY } from "../core/display.ts";
import { labScale, parseScale } from "./scale.ts";
import { inJupyter, markdown } from "./jupyter.ts";
import { tableBundle } from "./table.ts";
import { LiveTraining, thin } from "./live_training.ts";
import { notebookRunHooks, RunLog } from "./run_log.ts";
import { notebookRuns, RUNS_MIME } from "./notebook_runs.ts";
import { sayNotice } from "../core/notices.ts";
import { FeedReader, PROGRESS_ENV } from "../core/progress_feed.ts";

Deno.test("scale: parse and read from the environment", () => {
  assertEquals(parseScale("full"), "full");
  assertThrows(() => parseScale("large"), LabError, "use one of smoke, default, full");
  const old = Deno.env.get("HARNESSLAB_SCALE");
  try {
    Deno.env.delete("HARNESSLAB_SCALE");
    assertEquals(labScale(), "default");
    Deno.env.set("HARNESSLAB_SCALE", "smoke");
    assertEquals(labScale(), "smoke");
    Deno.env.set("HARNESSLAB_SCALE", "tiny");
    assertThrows(() => labScale(), LabError, "HARNESSLAB_SCALE is 'tiny'");
  } finally {
    old === undefined ? Deno.env.delete("HARNESSLAB_SCALE") : Deno.env.set("HARNESSLAB_SCALE", old);
  }
});

Deno.test("outside the kernel: not in Jupyter, markdown still displayable", () => {
  assertEquals(inJupyter(), false);
  assertEquals(markdown("**x**")[JUPYTER_DISPLAY]()["text/markdown"], "**x**");
});

Deno.test("tableBundle: digits, integers kept, pipes escaped once, row limit", () => {
  const b = tableBundle([{ level: 1, acc: 0.98765, note: "a|b" }, { level: 2, acc: 0.5, note: "" }], {
    digits: 2,
  });
  assertEquals(
    b["text/plain"],
    "|level|acc|note|\n|-:|-:|:-|\n|1|0.99|a\\|b|\n|2|0.50||\n",
  );
  assertStringIncludes(b["text/html"], "<table");
  const many = tableBundle(Array.from({ length: 5 }, (_, i) => ({ i })), { limit: 2, caption: "cap" });
  assertStringIncludes(many["text/plain"], "**cap**");
  assertStringIncludes(many["text/plain"], "(3 more rows)");
});

Deno.test("thin: bucket means, last step kept, short series untouched", () => {
  const pts = [1, 2, 3, 4, 5, 6].map((s) => ({ step: s, value: s * 10 }));
  assertEquals(thin(pts, 10), pts);
  assertEquals(thin(pts, 3), [{ step: 2, value: 15 }, { step: 4, value: 35 }, { step: 6, value: 55 }]);
  assertEquals(thin(pts, 4).map((p) => p.step), [1, 3, 4, 6]); // buckets [0,1.5) [1.5,3) [3,4.5) [4.5,6)
});

Deno.test("LiveTraining: rows follow the sinks; the bundle shows bars and a plot", () => {
  const live = new LiveTraining({ title: "sweep", quiet: true });
  const a = live.sink("seed 0");
  for (let s = 1; s <= 4; s++) a.update(s, 4, { loss: 4 / s });
  a.done("4 steps");
  const b = live.sink("seed 1");
  b.update(1, 4, { loss: 3 });
  live.finish("seed 2", "from the cache (abc)");
  const rows = live.rows();
  assertEquals(rows.map((r) => [r.series, r.step, r.total]), [["seed 0", 4, 4], ["seed 1", 1, 4], [
    "seed 2",
    0,
    0,
  ]]);
  assertEquals(rows[0].status.startsWith("done, 4 steps in "), true);
  const bundle = live.bundle();
  assertEquals(
    bundle["text/plain"].split("\n").slice(1, 3),
    ["seed 0: 4/4 (100%) loss=1 " + rows[0].status, "seed 1: 1/4 (25%) loss=3 running"],
  );
  assertStringIncludes(bundle["text/html"], "width:100.0%");
  assertStringIncludes(bundle["text/html"], "width:25.0%");
  assertStringIncludes(bundle["text/html"], "<svg");
  assertStringIncludes(bundle["text/html"], "from the cache (abc)");
});

Deno.test("RunLog and notebookRunHooks: cached vs computed", () => {
  const log = new RunLog();
  const live = new LiveTraining({ title: "t", quiet: true });
  const hooks = notebookRunHooks(live, log, "sft");
  hooks.onRun("seed 0", { key: "k0", cached: true }, 0.01);
  hooks.onRun("seed 1", { key: "k1", cached: false }, 75);
  assertEquals(log.summary(), "2 runs: 1 cached, 1 computed");
  assertEquals(live.rows().map((r) => r.status), ["from the cache (k0)", "computed in 1m15s (k1)"]);
  // A cached run brings its stored curve: the view looks the same as when it was computed.
  hooks.onRun("seed 2", {
    key: "k2",
    cached: true,
    result: { metrics: [{ step: 1, loss: 3 }, { step: 2, loss: 1, acc_L1: 1 }] },
  }, 0);
  const row = live.rows()[2];
  assertEquals([row.step, row.total, row.metrics], [2, 2, { loss: 1 }]);
  assertStringIncludes(live.bundle()["text/plain"], "seed 2: 2/2 (100%) loss=1 from the cache (k2)");
  const text = log[JUPYTER_DISPLAY]()["text/plain"];
  assertStringIncludes(text, "|seed 0|sft|k0|cache|0|");
  assertStringIncludes(text, "|seed 1|sft|k1|computed|75|");
});

Deno.test("RunLog: notices said once, runs recorded for export and sent to the progress feed", async () => {
  const feed = await Deno.makeTempFile();
  const old = Deno.env.get(PROGRESS_ENV);
  Deno.env.set(PROGRESS_ENV, feed);
  const log = new RunLog();
  const stop = log.captureNotices();
  try {
    sayNotice("backend: webgpu: WebGPU adapter is software (llvmpipe)");
    log.add({ label: "seed 0", kind: "sft", key: "0123456789abcdef", cached: false, seconds: 3 });
    log.add({ label: "seed 1", kind: "sft", key: "fedcba9876543210", cached: true, seconds: 0 });
  } finally {
    stop();
    old === undefined ? Deno.env.delete(PROGRESS_ENV) : Deno.env.set(PROGRESS_ENV, old);
  }
  const first = log[JUPYTER_DISPLAY]();
  assertStringIncludes(first["text/plain"], "backend: webgpu: WebGPU adapter is software (llvmpipe)");
  assertStringIncludes(first["text/html"], "backend: webgpu: WebGPU adapter is software (llvmpipe)");
  const second = log[JUPYTER_DISPLAY]();
  assertEquals(second["text/plain"].includes("backend:"), false); // said once
  const nb = { cells: [{ outputs: [{ data: first }] }, { outputs: [{ data: second }] }] };
  assertEquals(notebookRuns(nb, "x.ipynb"), [
    { kind: "sft", key: "0123456789abcdef", label: "seed 0", cached: false },
    { kind: "sft", key: "fedcba9876543210", label: "seed 1", cached: true },
  ]);
  const events = new FeedReader(feed).read().map((e) => e.ev === "run" ? [e.run, e.cached] : e.ev);
  assertEquals(events, [["seed 0", false], ["seed 1", true]]);
  await Deno.remove(feed);
});

Deno.test("notebookRuns: a malformed record names the notebook and cell", () => {
  const bad = { cells: [{}, { outputs: [{ data: { [RUNS_MIME]: '[{"kind":"sft","key":"nothex"}]' } }] }] };
  assertThrows(() => notebookRuns(bad, "nb.ipynb"), LabError, "nb.ipynb cell 1: the run log's");
  assertEquals(notebookRuns({ cells: [{ outputs: [] }] }, "nb.ipynb"), []);
});
