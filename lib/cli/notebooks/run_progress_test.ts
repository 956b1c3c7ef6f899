import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import type { FeedEvent, FeedEventInput } from "../../core/progress_feed.ts";
import { cellHeadline, RunProgressView, summaryTable } from "./run_progress.ts";

const SOURCES = [
  "# title",
  'import { a } from "./a.ts";',
  "const log = new RunLog();\nconst runs = await sweep(p);",
];

/** A view on a fake clock that records what it writes. */
function fakeView(tty: boolean) {
  const clock = { t: 1000 };
  const out: string[] = [];
  const view = new RunProgressView({ tty, write: (s) => out.push(s), now: () => clock.t, columns: 200 });
  view.begin("01_x.ipynb", SOURCES);
  const feed = (e: FeedEventInput & { t?: number }) => {
    if (e.t !== undefined) clock.t = e.t;
    view.event({ ...e, t: clock.t } as FeedEvent);
  };
  return { view, out, clock, feed };
}

Deno.test("cellHeadline: the first awaiting line, else the first code line", () => {
  assertEquals(cellHeadline(SOURCES[2]), "const runs = await sweep(p);");
  assertEquals(cellHeadline("// note\nconst x = 1;\nx"), "const x = 1;");
  assertEquals(cellHeadline(""), "");
});

Deno.test("not a terminal: a 10-minute run prints about ten progress lines, not one per step", () => {
  const { view, out, feed } = fakeView(false);
  feed({ ev: "start", cells: 3, t: 1000 });
  feed({ ev: "cell", cell: 2, t: 1000 });
  for (let i = 1; i <= 1200; i++) { // an update every 0.5 s for 600 s
    feed({
      ev: "progress",
      run: "uniform s0",
      step: i,
      total: 1200,
      metrics: { loss: 1 / i },
      t: 1000 + i / 2,
    });
  }
  feed({ ev: "run", run: "uniform s0", kind: "grpo", key: "0123456789abcdef", cached: false, seconds: 600 });
  const text = out.join("");
  assert(!text.includes("\x1b"), "no terminal escapes in a log");
  const lines = text.trimEnd().split("\n");
  assertEquals(lines[0], "  01_x.ipynb cell 2: const runs = await sweep(p);");
  const progress = lines.filter((l) => l.startsWith("    uniform s0 ["));
  assertEquals(progress.length, 9); // every 10% (60 s apart here), the last 10% ends in the "computed" line
  assertStringIncludes(progress[0], " 122/1200  2.0 it/s  eta 8m59s");
  assertEquals(lines.at(-1), "  computed uniform s0 (grpo 0123456789abcdef) in 10m00s");
  assertEquals(view.counts(), { computed: 1, cached: 0 });
});

Deno.test("not a terminal: a short run prints no progress line; a slow cell is named after 30 s", () => {
  const { view, out, clock, feed } = fakeView(false);
  feed({ ev: "cell", cell: 1, t: 1000 });
  view.tick();
  clock.t = 1029;
  view.tick();
  assertEquals(out, []);
  clock.t = 1030;
  view.tick();
  view.tick();
  assertEquals(out, ['  01_x.ipynb cell 1: import { a } from "./a.ts";\n']);
  feed({ ev: "cell", cell: 2, t: 1031 });
  for (let i = 1; i <= 30; i++) feed({ ev: "progress", run: "seed 0", step: i, total: 30, t: 1031 + i / 10 });
  feed({ ev: "run", run: "seed 0", kind: "sft", key: "0123456789abcdef", cached: false, seconds: 3 });
  feed({ ev: "run", run: "seed 1", kind: "sft", key: "fedcba9876543210", cached: true, seconds: 0 });
  assertEquals(out.slice(1).join("").split("\n").filter(Boolean), [
    "  01_x.ipynb cell 2: const runs = await sweep(p);",
    "  computed seed 0 (sft 0123456789abcdef) in 3s",
  ]);
  assertEquals(view.counts(), { computed: 1, cached: 1 });
  feed({ ev: "start", cells: 3 }); // a re-execution counts from zero
  assertEquals(view.counts(), { computed: 0, cached: 0 });
});

Deno.test("terminal: one block redrawn in place, at most 10 times a second, cleared at the end", () => {
  const { view, out, feed } = fakeView(true);
  feed({ ev: "cell", cell: 2, t: 1000 });
  for (let i = 1; i <= 100; i++) { // 100 updates in one second
    feed({ ev: "progress", run: "seed 0", step: i, total: 100, t: 1000 + i / 100 });
  }
  const frames = out.filter((s) => s.startsWith("> "));
  assert(frames.length >= 9 && frames.length <= 11, `${frames.length} redraws`);
  assertEquals(frames.at(-1)!.split("\n")[1].startsWith("    seed 0 [##"), true);
  assertStringIncludes(frames[0], "> 01_x.ipynb cell 2 (0s): const runs = await sweep(p);");
  feed({ ev: "run", run: "seed 1", kind: "sft", key: "fedcba9876543210", cached: true, seconds: 0, t: 1002 });
  assertStringIncludes(out.at(-1)!, "> 01_x.ipynb cell 2 (2s; runs: 0 computed, 1 from cache): const runs");
  view.finish();
  assertEquals(out.at(-1), "\x1b[2A\r\x1b[J"); // up over the cell line and the run line, erased
});

Deno.test("summaryTable: a row per notebook and the total", () => {
  const rows = [
    { notebook: "00_quickstart.ipynb", seconds: 4.2, computed: 2, cached: 0, figures: 1 },
    { notebook: "01_difficulty_band_drift.ipynb", seconds: 75, computed: 0, cached: 13, figures: 5 },
  ];
  const cells = summaryTable(rows).split("\n").map((l) => l.trim().split(/ {2,}/));
  assertEquals(cells, [
    ["notebook", "wall time", "runs computed", "from cache", "figures written"],
    cells[1],
    ["00_quickstart.ipynb", "4s", "2", "0", "1"],
    ["01_difficulty_band_drift.ipynb", "1m15s", "0", "13", "5"],
    ["all 2", "1m19s", "2", "13", "6"],
  ]);
});
