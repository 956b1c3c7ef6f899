import { assertEquals } from "@std/assert";
import { topK } from "./top_k.ts";

const cases: [string, number[], number, ((i: number) => boolean) | undefined, number[]][] = [
  ["best first", [0.1, 0.7, 0.3, 0.9], 2, undefined, [3, 1]],
  ["ties go to the lower index", [0.5, 0.5, 0.5, 0.2], 2, undefined, [0, 1]],
  ["k larger than the candidates", [0.4, 0.6], 5, undefined, [1, 0]],
  ["filtered", [0.9, 0.8, 0.7, 0.6], 2, (i) => i % 2 === 1, [1, 3]],
  ["nothing admitted", [0.9, 0.8], 2, () => false, []],
  ["k = 0", [0.9], 0, undefined, []],
];
for (const [name, scores, k, accept, want] of cases) {
  Deno.test(`topK: ${name}`, () => assertEquals(topK(scores, k, accept).map((h) => h.index), want));
}
