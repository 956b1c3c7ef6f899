import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { LabError } from "../../core/errors.ts";
import { makeCurriculum, staticBand } from "./curriculum.ts";

const levels = [1, 2, 3, 4, 5];
const start = [0.98, 0.7, 0.45, 0.15, 0.08];

Deno.test("uniform weighs every level equally", () => {
  assertEquals(makeCurriculum({ kind: "uniform" }, levels, start).weights(), [1, 1, 1, 1, 1]);
});

Deno.test("static band keeps the levels inside [low, high], whatever it observes", () => {
  const c = makeCurriculum({ kind: "static_band", low: 0.2, high: 0.8 }, levels, start);
  assertEquals(c.weights(), [0, 1, 1, 0, 0]);
  c.observe(2, 8, 8);
  assertEquals(c.weights(), [0, 1, 1, 0, 0]);
});

Deno.test("static band falls back to the level nearest 0.5", () => {
  assertEquals(staticBand([1, 0.9, 0.05], 0.2, 0.8), [1]);
});

Deno.test("over-hard takes levels near chance; easy_mix splits a share over mastered levels", () => {
  assertEquals(
    makeCurriculum({ kind: "over_hard", near_chance: 0.2, easy_mix: 0, easy_min: 0.8 }, levels, start)
      .weights(),
    [0, 0, 0, 0.5, 0.5],
  );
  const mixed = makeCurriculum(
    { kind: "over_hard", near_chance: 0.1, easy_mix: 0.25, easy_min: 0.9 },
    levels,
    start,
  ).weights();
  [0.25, 0, 0, 0, 0.75].forEach((w, i) => assertAlmostEquals(mixed[i], w, 1e-12));
});

Deno.test("over-hard with no level near chance is a clear error quoting the rates", () => {
  const e = assertThrows(
    () => makeCurriculum({ kind: "over_hard", near_chance: 0.05, easy_mix: 0, easy_min: 0.8 }, levels, start),
    LabError,
  );
  assertEquals(e.message.includes("L5 0.08"), true);
});

Deno.test("adaptive band weighs p(1-p) with a floor and moves its estimate by EMA", () => {
  const c = makeCurriculum({ kind: "adaptive_band", decay: 0.5, floor: 0.1 }, levels, start);
  // p(1-p): 0.0196 -> floor 0.1, 0.21, 0.2475, 0.1275, 0.0736 -> floor 0.1
  [0.1, 0.21, 0.2475, 0.1275, 0.1].forEach((w, i) => assertAlmostEquals(c.weights()[i], w, 1e-9));
  c.observe(3, 8, 8); // 0.5 * 0.45 + 0.5 * 1 = 0.725
  assertAlmostEquals(c.state()[2], 0.725, 1e-12);
  assertAlmostEquals(c.weights()[2], 0.725 * 0.275, 1e-12);
  const saved = c.state();
  const d = makeCurriculum({ kind: "adaptive_band", decay: 0.5, floor: 0.1 }, levels, start);
  d.restore(saved);
  assertEquals(d.weights(), c.weights());
});
