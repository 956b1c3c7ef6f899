import { assertEquals, assertThrows } from "@std/assert";
import { makeTask, TaskSettingsSchema } from "./task.ts";
import { Rng } from "../core/rng.ts";
import { encode } from "./tokenizer.ts";
import { LabError } from "../core/errors.ts";

const arith = makeTask(TaskSettingsSchema.parse({ family: "arithmetic" }));
const prec = makeTask(TaskSettingsSchema.parse({ family: "precedent" }));

Deno.test("levels and sequence lengths of both families", () => {
  assertEquals(arith.levels, [...Array(16).keys()].map((i) => i + 1));
  assertEquals(arith.sequenceLength(16), 133);
  assertEquals(prec.levels, [1, 2, 3, 4, 5]);
  assertEquals([prec.sequenceLength(1), prec.sequenceLength(5)], [10, 10]);
  const short = makeTask(TaskSettingsSchema.parse({ family: "precedent", max_level: 3 }));
  assertEquals(short.levels, [1, 2, 3]);
});

Deno.test("samples are deterministic per seed, fit their length, and verify their own target", () => {
  for (const task of [arith, prec]) {
    for (const level of task.levels) {
      const a = task.sample(new Rng(level), level), b = task.sample(new Rng(level), level);
      assertEquals(a, b);
      assertEquals([a.family, a.level], [task.family, level]);
      assertEquals(encode(a.prompt + a.target).length, task.sequenceLength(level));
      assertEquals(task.verify(a, a.target), true);
      assertEquals(task.verify(a, "junk"), false);
    }
  }
});

Deno.test("verify reads only the answer: arithmetic '>d$', precedent the label", () => {
  const ex = { answer: "3" };
  assertEquals([arith.verify(ex, ">3$"), arith.verify(ex, "1+2=3>3"), arith.verify(ex, ">4$")], [
    true,
    true,
    false,
  ]);
  assertEquals([prec.verify({ answer: "C" }, "C$"), prec.verify({ answer: "C" }, "CC$")], [true, false]);
});

Deno.test("out-of-range levels are LabErrors", () => {
  assertThrows(() => arith.sample(new Rng(0), 0), LabError, "1..16");
  assertThrows(() => prec.sample(new Rng(0), 6), LabError, "1..5");
});

Deno.test("settings are validated per family", () => {
  assertThrows(() => TaskSettingsSchema.parse({ family: "arithmetic", ops: [] }));
  assertThrows(() => TaskSettingsSchema.parse({ family: "precedent", ops: ["+"] }));
  assertThrows(() => TaskSettingsSchema.parse({ family: "sorting" }));
});
