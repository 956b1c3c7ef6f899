import { assertEquals } from "@std/assert";
import {
  baseTable,
  matrixTable,
  perTrainSeed,
  probeTable,
  roleSeedValues,
  roleTable,
  seedGains,
} from "./tables.ts";
import type { CellRow, ProbeRow } from "./measure.ts";
import { tierSummaries } from "./runs.ts";
import { testSummary as tier, testTier } from "./testing.ts";

const cell = (o: Partial<CellRow>): CellRow => ({
  ladder: "size",
  train_seed: 0,
  seed: 0,
  rule: "padded",
  evolver: "a",
  agent: "a",
  arrangement: "near-0",
  n: 10,
  correct: 5,
  correctEmpty: 5,
  headroom: 2,
  entries: 4,
  wrongEntries: 0,
  ...o,
});

// Two tiers a, b; two training seeds (one workload seed each); gain of (evolver -> agent), arrangements averaged.
//   seed 0: a->a +0.1, a->b +0.3, b->a +0.0, b->b +0.2
//   seed 1: a->a +0.1, a->b +0.1, b->a +0.2, b->b +0.0
const cells: CellRow[] = [
  cell({ evolver: "a", agent: "a", correct: 6 }),
  cell({ evolver: "a", agent: "b", correct: 8 }),
  cell({ evolver: "a", agent: "b", correct: 8, arrangement: "far-1" }),
  cell({ evolver: "b", agent: "a", correct: 4 }),
  cell({ evolver: "b", agent: "a", correct: 6, arrangement: "far-1" }),
  cell({ evolver: "b", agent: "b", correct: 7 }),
  cell({ train_seed: 1, evolver: "a", agent: "a", correct: 6 }),
  cell({ train_seed: 1, evolver: "a", agent: "b", correct: 6 }),
  cell({ train_seed: 1, evolver: "b", agent: "a", correct: 7 }),
  cell({ train_seed: 1, evolver: "b", agent: "b", correct: 5 }),
];
const round = (x: number) => Math.round(x * 1e9) / 1e9;

Deno.test("seedGains averages arrangements and sums gained answers and headroom", () => {
  const g = seedGains(cells).map((
    x,
  ) => [x.trainSeed, x.evolver, x.agent, round(x.gain), x.gained, x.headroom]);
  assertEquals(g, [
    [0, "a", "a", 0.1, 1, 2],
    [0, "a", "b", 0.3, 6, 4],
    [0, "b", "a", 0, 0, 4],
    [0, "b", "b", 0.2, 2, 2],
    [1, "a", "a", 0.1, 1, 2],
    [1, "a", "b", 0.1, 1, 2],
    [1, "b", "a", 0.2, 2, 2],
    [1, "b", "b", 0, 0, 2],
  ]);
});

Deno.test("roleSeedValues: writing averages over agents, using over evolvers, own sheet excluded on request", () => {
  const gains = seedGains(cells);
  const w = roleSeedValues(gains, "writing", "size", "padded", false);
  assertEquals(w.get("a")!.map((v) => round(v.gain)), [0.2, 0.1]); // (0.1+0.3)/2, (0.1+0.1)/2
  const wx = roleSeedValues(gains, "writing", "size", "padded", true);
  assertEquals(wx.get("a")!.map((v) => round(v.gain)), [0.3, 0.1]); // a->b only
  const ux = roleSeedValues(gains, "using", "size", "padded", true);
  assertEquals(ux.get("a")!.map((v) => round(v.gain)), [0, 0.2]); // b->a only
  assertEquals(ux.get("b")!.map((v) => [round(v.gain), v.gained, v.headroom]), [[0.3, 6, 4], [0.1, 1, 2]]);
});

Deno.test("roleTable and matrixTable: t interval over training seeds and share of headroom", () => {
  const gains = seedGains(cells);
  const tiers = [tier("a", 0.2), tier("b", 0.6)];
  const rows = roleTable(gains, tiers, "using").objects() as Record<string, number | string>[];
  const b = rows.find((r) => r.tier === "b" && r.own === "excluded")!;
  // seeds 0.3 and 0.1: mean 0.2, sd 0.1414, t(1) = 12.706 -> half width 12.706 * 0.1 = 1.2706
  assertEquals([round(b.gain as number), round(b.lo as number), round(b.hi as number)], [
    0.2,
    -1.0706,
    1.4706,
  ]);
  assertEquals(round(b.share as number), round(7 / 6));
  const m = matrixTable(gains).objects() as Record<string, number | string>[];
  const ab = m.find((r) => r.evolver === "a" && r.agent === "b")!;
  assertEquals([round(ab.gain as number), round(ab.share as number)], [0.2, round(7 / 6)]);
});

Deno.test("probeTable counts uses of right entries and copies of wrong ones", () => {
  const p = (kind: ProbeRow["kind"], answer: string): ProbeRow => ({
    ladder: "size",
    agent: "a",
    train_seed: 0,
    seed: 0,
    arrangement: "near-0",
    kind,
    truth: "1",
    entry: kind === "right-unknown" ? "1" : "2",
    answer,
    mass: [0.5],
    uniform: 0.2,
  });
  const rows = probeTable(
    [
      p("right-unknown", "1"),
      p("right-unknown", "1"),
      p("right-unknown", "5"),
      p("wrong-known", "2"),
      p("wrong-known", "1"),
    ],
    [tier("a", 0.3)],
  ).objects() as Record<string, number>[];
  assertEquals([
    round(rows[0].uses_right),
    rows[0].n_right,
    rows[0].copies_wrong,
    rows[0].keeps_own,
    rows[0].n_wrong,
  ], [
    round(2 / 3),
    3,
    0.5,
    0.5,
    2,
  ]);
});

Deno.test("perTrainSeed: workload seeds are averaged inside a training seed, not counted as replicates", () => {
  // Training seed 0: workload seeds give a->b gains 0.3 and 0.1 (mean 0.2); training seed 1: 0.0 and 0.2 (mean 0.1).
  const two = [
    cell({ evolver: "a", agent: "b", correct: 8 }),
    cell({ seed: 1, evolver: "a", agent: "b", correct: 6 }),
    cell({ train_seed: 1, evolver: "a", agent: "b", correct: 5 }),
    cell({ train_seed: 1, seed: 1, evolver: "a", agent: "b", correct: 7 }),
  ];
  const per = perTrainSeed(seedGains(two));
  assertEquals(per.map((v) => [v.trainSeed, round(v.gain), v.gained, v.headroom]), [[0, 0.2, 4, 4], [
    1,
    0.1,
    2,
    4,
  ]]);
  // Two training-seed values 0.2 and 0.1: mean 0.15, sd 0.0707, t(1) = 12.706 -> half width 0.635.
  const m = matrixTable(seedGains(two)).objects() as Record<string, number>[];
  assertEquals([round(m[0].gain), round(m[0].lo), round(m[0].hi)], [
    0.15,
    round(0.15 - 0.6353),
    round(0.15 + 0.6353),
  ]);
});

Deno.test("tierSummaries and baseTable: base mean and t interval over training seeds, clipped to [0, 1]", () => {
  const s = tierSummaries([
    testTier("a", 0.2, "size", 0),
    testTier("a", 0.4, "size", 1),
    testTier("a", 0.3, "size", 2),
    testTier("b", 0.9, "size", 0),
    testTier("b", 1, "size", 1),
    testTier("b", 0.95, "size", 2),
  ]);
  assertEquals(s.map((t) => [t.label, round(t.base), t.bases]), [["a", 0.3, { 0: 0.2, 1: 0.4, 2: 0.3 }], [
    "b",
    0.95,
    { 0: 0.9, 1: 1, 2: 0.95 },
  ]]);
  // a: sd 0.1, t(2) = 4.303, half width 4.303 * 0.1 / sqrt(3) = 0.24843
  const r5 = (x: number) => Math.round(x * 1e5) / 1e5;
  assertEquals([r5(s[0].lo), r5(s[0].hi)], [r5(0.3 - 0.248434), r5(0.3 + 0.248434)]);
  assertEquals(s[1].hi, 1); // 0.95 + 0.124 clipped
  const rows = baseTable(s).objects() as Record<string, number>[];
  assertEquals([rows[0].seed_min, rows[0].seed_max, rows[0].train_seeds], [0.2, 0.4, 3]);
});
