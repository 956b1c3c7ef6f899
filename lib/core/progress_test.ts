import { assert, assertEquals } from "@std/assert";
import { formatDuration, formatMetric, formatProgress, ProgressBar, silentProgress } from "./progress.ts";

const lines: [Parameters<typeof formatProgress>[0], number, string][] = [
  [
    { label: "sft", step: 50, total: 200, elapsedS: 10, metrics: { loss: 1.23456 } },
    10,
    "sft [##........]  50/200  5.0 it/s  eta 30s  loss=1.235",
  ],
  [{ label: "x", step: 0, total: 5, elapsedS: 0 }, 4, "x [....] 0/5  0.0 it/s  eta ?"],
  [{ label: "x", step: 5, total: 5, elapsedS: 2 }, 4, "x [####] 5/5  2.5 it/s  eta 0s"],
  [{ label: "x", step: 7, total: 5, elapsedS: 2 }, 4, "x [####] 7/5  3.5 it/s  eta 0s"], // overshoot clamps
  [{ label: "g", step: 1, total: 1000, elapsedS: 2 }, 2, "g [..]    1/1000  2.0 s/it  eta 33m18s"],
  [
    { label: "g", step: 10, total: 100, elapsedS: 1, metrics: { loss: 0.5, lr: 3e-4, step_tokens: 4096 } },
    4,
    "g [....]  10/100  10.0 it/s  eta 9s  loss=0.500 lr=3.00e-4 step_tokens=4096",
  ],
  [
    { label: "ppo", step: 12, total: 0, elapsedS: 3, metrics: { kl: 0.02 } },
    8,
    "ppo step 12  4.0 it/s  3s  kl=0.020",
  ],
];
for (const [state, width, want] of lines) {
  Deno.test(`formatProgress → ${want}`, () => assertEquals(formatProgress(state, width), want));
}

Deno.test("formatMetric and formatDuration", () => {
  const metric: [number, string][] = [
    [3, "3"],
    [1.23456, "1.235"],
    [-0.25, "-0.250"],
    [0.001234, "1.23e-3"],
    [7712.34, "7712"],
    [NaN, "nan"],
    [Infinity, "inf"],
  ];
  assertEquals(metric.map(([v]) => formatMetric(v)), metric.map(([, s]) => s));
  const dur: [number, string][] = [
    [0, "0s"],
    [59.4, "59s"],
    [59.6, "1m00s"],
    [187, "3m07s"],
    [7500, "2h05m"],
    [
      Infinity,
      "?",
    ],
  ];
  assertEquals(dur.map(([v]) => formatDuration(v)), dur.map(([, s]) => s));
});

function capture(opts: ConstructorParameters<typeof ProgressBar>[1]) {
  const out: string[] = [];
  let t = 0;
  const bar = new ProgressBar("run", { ...opts, write: (s) => out.push(s), now: () => t });
  return { out, bar, tick: (dt: number) => (t += dt) };
}

Deno.test("not a TTY: at most maxLines + 1 lines however many updates, then the summary", () => {
  const { out, bar, tick } = capture({ tty: false, maxLines: 5 });
  for (let i = 1; i <= 1000; i++) {
    tick(0.01);
    bar.update(i, 1000, { loss: 1 / i });
  }
  bar.done("finished");
  assertEquals(out.length, 6 + 1); // buckets 0..5 (the first update lands in bucket 0) + summary
  assert(
    out[5].startsWith("run [########################] 1000/1000  100.0 it/s  eta 0s  loss=1.00e-3"),
    out[5],
  );
  assertEquals(out.at(-1), "run: finished in 10s\n");
});

Deno.test("not a TTY: a run stopped early still prints its last state in done()", () => {
  const { out, bar, tick } = capture({ tty: false, maxLines: 2 });
  for (let i = 1; i <= 30; i++) {
    tick(1);
    bar.update(i, 100);
  }
  bar.done();
  assertEquals(out.map((s) => s.slice(0, s.indexOf("/100") + 4)), [
    "run [........................]   1/100",
    "run [#######.................]  30/100",
  ]);
});

Deno.test("not a TTY, unknown total: one line per minIntervalS", () => {
  const { out, bar, tick } = capture({ tty: false, minIntervalS: 10 });
  for (let i = 1; i <= 100; i++) {
    tick(1);
    bar.update(i, 0);
  }
  assertEquals(out.map((s) => s.split("  ")[0]), [
    "run step 1",
    "run step 11",
    "run step 21",
    "run step 31",
    "run step 41",
    "run step 51",
    "run step 61",
    "run step 71",
    "run step 81",
    "run step 91",
  ]);
});

Deno.test("TTY: redraws one line in place, at most 10 times a second, cut to the terminal width", () => {
  const { out, bar, tick } = capture({ tty: true, columns: 30 });
  for (let i = 1; i <= 100; i++) {
    tick(0.01); // 1 s in all
    bar.update(i, 100, { loss: 2 });
  }
  bar.done("100 steps");
  const redraws = out.slice(0, -2);
  assert(
    redraws.every((s) => s.startsWith("\r") && s.endsWith("\x1b[K") && s.length === 1 + 30 + 3),
    redraws[0],
  );
  assert(redraws.length <= 11, `${redraws.length} redraws`);
  assertEquals(
    redraws.at(-1),
    "\r" + formatProgress({ label: "run", step: 100, total: 100, elapsedS: 1 }).slice(0, 30) + "\x1b[K",
  );
  assertEquals(out.slice(-2), ["\n", "run: 100 steps in 1s\n"]);
});

Deno.test("silentProgress accepts the sink calls and does nothing", () => {
  silentProgress.update(1, 2, { loss: 1 });
  silentProgress.done("x");
});
