import { assertEquals, assertThrows } from "@std/assert";
import { buildBatch } from "./batch.ts";

Deno.test("buildBatch shifts targets, weights only target predictions, pads with 0", () => {
  const b = buildBatch([{ prompt: [1, 5, 6], target: [7, 2] }, { prompt: [1, 9], target: [2] }], 10);
  assertEquals(b.ids, [[1, 5, 6, 7], [1, 9, 0, 0]]);
  assertEquals(b.targets, [[5, 6, 7, 2], [9, 2, 0, 0]]);
  assertEquals(b.weights, [[0, 0, 1, 1], [0, 1, 0, 0]]);
  assertEquals(b.lengths, [4, 2]);
});

Deno.test("buildBatch rejects rows longer than block_size", () => {
  assertThrows(() => buildBatch([{ prompt: [1, 2, 3], target: [4, 5] }], 3), Error, "exceeds block_size 3");
});
