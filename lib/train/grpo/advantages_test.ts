import { assertAlmostEquals, assertEquals } from "@std/assert";
import { groupAdvantages, informativeGroups, populationStd } from "./advantages.ts";

// Hand-computed: [1,0,0,0] has mean 1/4 and population std sqrt(3/16) = 0.4330.
const cases: {
  name: string;
  rewards: number[][];
  scale: "group_std" | "batch_std" | "none";
  eps: number;
  want: number[][];
}[] = [
  {
    name: "one success of 4, group std",
    rewards: [[1, 0, 0, 0]],
    scale: "group_std",
    eps: 0,
    want: [[1.7320508, -0.5773503, -0.5773503, -0.5773503]],
  },
  {
    name: "half successes, group std",
    rewards: [[1, 1, 0, 0]],
    scale: "group_std",
    eps: 0,
    want: [[1, 1, -1, -1]],
  },
  {
    name: "no scaling (Dr. GRPO)",
    rewards: [[1, 0, 0, 0]],
    scale: "none",
    eps: 0,
    want: [[0.75, -0.25, -0.25, -0.25]],
  },
  // all rewards [1,0,1,1]: mean 0.75, std sqrt(0.75 * 0.25) = 0.4330; group 1 centred +-0.5
  {
    name: "batch std",
    rewards: [[1, 0], [1, 1]],
    scale: "batch_std",
    eps: 0,
    want: [[1.1547005, -1.1547005], [0, 0]],
  },
  {
    name: "zero-variance group is zero even with eps 0",
    rewards: [[0, 0, 0]],
    scale: "group_std",
    eps: 0,
    want: [[0, 0, 0]],
  },
  {
    name: "eps is added to the spread",
    rewards: [[1, 0]],
    scale: "group_std",
    eps: 0.5,
    want: [[0.5, -0.5]],
  },
  {
    name: "G = 8, lone success gets sqrt(7)",
    rewards: [[1, 0, 0, 0, 0, 0, 0, 0]],
    scale: "group_std",
    eps: 0,
    want: [[2.6457513, ...new Array(7).fill(-0.3779645)]],
  },
  {
    name: "format reward 0.1 on top of correctness",
    rewards: [[1.1, 0.1, 0, 0]],
    scale: "none",
    eps: 0,
    want: [[0.8, -0.2, -0.3, -0.3]],
  },
];

for (const c of cases) {
  Deno.test(`groupAdvantages: ${c.name}`, () => {
    const got = groupAdvantages(c.rewards, { scale: c.scale, eps: c.eps });
    assertEquals(got.length, c.want.length);
    got.forEach((g, i) =>
      g.forEach((a, j) => assertAlmostEquals(a, c.want[i][j], 1e-6, `group ${i} item ${j}`))
    );
  });
}

Deno.test("group advantages sum to zero in every group", () => {
  const got = groupAdvantages([[1, 0, 1, 0, 0], [0.3, 0.9, 0.1, 0, 1]], { scale: "group_std", eps: 1e-6 });
  for (const g of got) assertAlmostEquals(g.reduce((a, b) => a + b, 0), 0, 1e-9);
});

Deno.test("populationStd divides by n", () => {
  assertAlmostEquals(populationStd([1, 0]), 0.5, 1e-12);
  assertAlmostEquals(populationStd([2, 4, 4, 4, 5, 5, 7, 9]), 2, 1e-12);
});

Deno.test("informativeGroups drops all-0 and all-1 groups (DAPO)", () => {
  assertEquals(informativeGroups([[0, 0], [1, 0], [1, 1], [0.1, 0.1], [0, 0.1]]), [1, 4]);
});
