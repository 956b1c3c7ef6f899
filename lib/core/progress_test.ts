import { assertEquals } from "@std/assert";
import { formatProgress, terminalProgress } from "./progress.ts";

const table: [Parameters<typeof formatProgress>[0], number, string][] = [
  [
    { label: "sft", step: 50, total: 200, elapsedS: 10, metrics: { loss: 1.23456 } },
    10,
    "sft [##........]  50/200  5.0 it/s  eta 30s  loss=1.235",
  ],
  [{ label: "x", step: 0, total: 5, elapsedS: 0 }, 4, "x [....] 0/5  0.0 it/s  eta ?"],
  [{ label: "x", step: 5, total: 5, elapsedS: 2 }, 4, "x [####] 5/5  2.5 it/s  eta 0s"],
  [{ label: "g", step: 1, total: 1000, elapsedS: 2 }, 2, "g [..]    1/1000  0.5 it/s  eta 33m18s"],
];
for (const [state, width, want] of table) {
  Deno.test(`formatProgress → ${want}`, () => assertEquals(formatProgress(state, width), want));
}

Deno.test("non-TTY progress prints at most maxLines lines however many updates", () => {
  const lines: string[] = [];
  let t = 0;
  const p = terminalProgress("run", { tty: false, write: (s) => lines.push(s), now: () => t, maxLines: 5 });
  for (let i = 1; i <= 1000; i++) {
    t += 0.01;
    p.update(i, 1000, { loss: 1 / i });
  }
  p.done("finished");
  assertEquals(lines.length, 6 + 1); // buckets 0..5 (first update lands in bucket 0) + summary
  assertEquals(lines.at(-1), "run: finished in 10s\n");
});

Deno.test("TTY progress redraws one line in place, throttled to 10 per second", () => {
  const out: string[] = [];
  let t = 0;
  const p = terminalProgress("run", { tty: true, write: (s) => out.push(s), now: () => t });
  for (let i = 1; i <= 100; i++) {
    t += 0.01; // 1 s in all
    p.update(i, 100);
  }
  assertEquals(out.every((s) => s.startsWith("\r")), true);
  assertEquals(out.length <= 11, true);
  assertEquals(out.at(-1)!.includes("100/100"), true);
});
