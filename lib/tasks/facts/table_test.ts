import { assert, assertEquals, assertThrows } from "@std/assert";
import { FactTable, KEY_CHARS } from "./table.ts";
import { Rng } from "../../core/rng.ts";

Deno.test("FactTable: deterministic, distinct keys, balanced values, off-table keys disjoint", () => {
  const a = FactTable.build({ world_seed: 3, n_keys: 40 }),
    b = FactTable.build({ world_seed: 3, n_keys: 40 });
  assertEquals(a.keys, b.keys);
  assertEquals(new Set(a.keys).size, 40);
  assertEquals(a.offKeys.length, KEY_CHARS.length ** 2 - 40);
  assert(a.offKeys.every((k) => !a.has(k)));
  const counts = Array(10).fill(0);
  for (const k of a.keys) counts[Number(a.value(k))]++;
  assertEquals(counts, Array(10).fill(4)); // 40 keys, digit i % 10 for rank i
  assert(FactTable.build({ world_seed: 4, n_keys: 40 }).keys.join() !== a.keys.join());
});

Deno.test("FactTable: bands split ranks evenly; chance is the band's most common value share", () => {
  const t = FactTable.build({ n_keys: 20, bands: 4 });
  assertEquals([1, 2, 3, 4].map((b) => t.bandKeys(b).length), [5, 5, 5, 5]);
  assertEquals(t.band(t.keys[0]), 1);
  assertEquals(t.band(t.keys[19]), 4);
  for (const b of [1, 2, 3, 4]) {
    const vals = t.bandKeys(b).map((k) => t.value(k));
    const top = Math.max(...[...new Set(vals)].map((v) => vals.filter((x) => x === v).length));
    assertEquals(t.chance(b), top / 5);
  }
});

Deno.test("FactTable: Zipf weights 1/(rank+1)^s and band mass", () => {
  const t = FactTable.build({ n_keys: 10, zipf: 1, bands: 2 });
  assertEquals(t.weights.slice(0, 3), [1, 1 / 2, 1 / 3]);
  const h = [...Array(10).keys()].reduce((a, r) => a + 1 / (r + 1), 0);
  const head = [...Array(5).keys()].reduce((a, r) => a + 1 / (r + 1), 0);
  assert(Math.abs(t.bandMass(1) - head / h) < 1e-12);
  const u = FactTable.build({ n_keys: 10, zipf: 0, bands: 2 });
  assertEquals(u.bandMass(1), 0.5);
});

Deno.test("FactTable: verifier and queries", () => {
  const t = FactTable.build({ n_keys: 12 });
  const k = t.keys[0], v = t.value(k);
  assertEquals(t.query(k), { key: k, level: 1, prompt: `^${k}=`, target: `${v}$`, answer: v });
  assertEquals(t.verify(k, `${v}$`), true);
  assertEquals(t.verify(k, `${(Number(v) + 1) % 10}$`), false);
  assertEquals(t.verify(k, `${v}${v}$`), false);
  assertThrows(() => t.value("##"), Error, "not in the fact table");
  const q = t.sampleBand(new Rng(1), 2);
  assertEquals(q.level, 2);
});
