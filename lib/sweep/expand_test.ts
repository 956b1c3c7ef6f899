import { assertEquals, assertThrows } from "@std/assert";
import { LabError } from "../core/errors.ts";
import { expandRuns, gridPoints, setPath } from "./expand.ts";

Deno.test("gridPoints: every combination, the first field outermost", () => {
  assertEquals(gridPoints({}), [{}]);
  assertEquals(gridPoints({ a: [1, 2], b: ["x", "y"] }), [
    { a: 1, b: "x" },
    { a: 1, b: "y" },
    { a: 2, b: "x" },
    { a: 2, b: "y" },
  ]);
});

Deno.test("setPath sets a copy, creating objects on the way, and refuses to go through a value", () => {
  const base = { model: { n_layer: 2 }, seed: 0 };
  assertEquals(setPath(base, "model.n_embd", 32, "s.json"), { model: { n_layer: 2, n_embd: 32 }, seed: 0 });
  assertEquals(setPath(base, "task.ops", ["+"], "s.json"), {
    model: { n_layer: 2 },
    seed: 0,
    task: { ops: ["+"] },
  });
  assertEquals(setPath({ levels: [1, 2] }, "levels.1", 5, "s.json"), { levels: [1, 5] });
  assertEquals(base, { model: { n_layer: 2 }, seed: 0 }); // untouched
  const e = assertThrows(() => setPath(base, "seed.x", 1, "s.json"), LabError);
  assertEquals(
    e.message.split(". Fix:")[0],
    "s.json: override 'seed.x' goes through 'seed', which is 0, not an object",
  );
});

Deno.test("expandRuns: variants crossed with the grid, labelled by their overrides", () => {
  const runs = expandRuns(
    { steps: 10 },
    { seed: [0, 1] },
    [{ lr: 0.001 }, { lr: 0.003, "model.n_embd": 64 }],
    "s",
  );
  assertEquals(runs.map((r) => r.label), [
    "lr=0.001 seed=0",
    "lr=0.001 seed=1",
    "lr=0.003 model.n_embd=64 seed=0",
    "lr=0.003 model.n_embd=64 seed=1",
  ]);
  assertEquals(runs[3].config, { steps: 10, lr: 0.003, model: { n_embd: 64 }, seed: 1 });
  assertEquals(runs[3].overrides, { lr: 0.003, "model.n_embd": 64, seed: 1 });
  assertEquals(
    expandRuns({ task: { family: "arithmetic" } }, {}, [{}], "s").map((r) => [r.label, r.config]),
    [
      ["base", { task: { family: "arithmetic" } }],
    ],
  );
  assertEquals(expandRuns({}, { "task.family": ["precedent"] }, [{}], "s")[0].label, "task.family=precedent");
});

Deno.test("expandRuns: a field set by a variant and the grid is an error naming both", () => {
  const e = assertThrows(() => expandRuns({}, { seed: [0] }, [{}, { seed: 1 }], "s.json"), LabError);
  assertEquals(
    e.message,
    "s.json: field 'seed' is set by both variants[1] and grid. Fix: set each field in one place",
  );
});
