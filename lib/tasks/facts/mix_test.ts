import { assert, assertEquals } from "@std/assert";
import { FactTable } from "./table.ts";
import { drawFactRow, FactMixSchema, otherDigit } from "./mix.ts";
import { Rng } from "../../core/rng.ts";

const table = FactTable.build({ n_keys: 60 });
const entriesOf = (prompt: string) =>
  [...prompt.matchAll(/([a-pA-H]{2})=(\d)/g)].map((m) => ({ key: m[1], value: m[2] }));

Deno.test("otherDigit never returns its input and covers the other nine", () => {
  const rng = new Rng(0), seen = new Set<string>();
  for (let i = 0; i < 400; i++) {
    const d = otherDigit("3", rng);
    assert(d !== "3");
    seen.add(d);
  }
  assertEquals(seen.size, 9);
});

Deno.test("drawFactRow: targets are always the truth; wrong entries at p_wrong; novel rows are pure lookup", () => {
  const rng = new Rng(1);
  const mix = FactMixSchema.parse({ p_sheet: 1, p_in_sheet: 1, p_wrong: 0.5, p_novel: 0, max_fillers: 3 });
  let entries = 0, wrong = 0;
  for (let i = 0; i < 300; i++) {
    const row = drawFactRow(table, mix, rng);
    const key = row.prompt.slice(-3, -1);
    assertEquals(row.target, `${table.value(key)}$`);
    assertEquals(row.prompt.length, 1 + 21 + 3); // 4 slots
    for (const e of entriesOf(row.prompt.slice(0, -3))) {
      entries++;
      if (e.value !== table.value(e.key)) wrong++;
    }
  }
  assert(Math.abs(wrong / entries - 0.5) < 0.07, `wrong share ${wrong / entries}`);
  const novel = FactMixSchema.parse({ p_novel: 1 });
  for (let i = 0; i < 50; i++) {
    const row = drawFactRow(table, novel, rng);
    const key = row.prompt.slice(-3, -1);
    assert(!table.has(key));
    const own = entriesOf(row.prompt.slice(0, -3)).find((e) => e.key === key)!;
    assertEquals(row.target, `${own.value}$`);
  }
  const bare = drawFactRow(table, FactMixSchema.parse({ p_sheet: 0, p_novel: 0 }), rng);
  assertEquals([bare.format, bare.prompt.length], ["bare", 4]);
});

Deno.test("drawFactRow: by default a sheet holds at most the query's own entry; bad max_fillers is named", () => {
  const rng = new Rng(2);
  const mix = FactMixSchema.parse({ p_sheet: 1, p_novel: 0.3 });
  let withEntry = 0;
  for (let i = 0; i < 200; i++) {
    const row = drawFactRow(table, mix, rng);
    const key = row.prompt.slice(-3, -1);
    const entries = entriesOf(row.prompt.slice(0, -3));
    assert(entries.length <= 1);
    if (entries.length) {
      assertEquals(entries[0].key, key);
      withEntry++;
    }
  }
  assert(withEntry > 100 && withEntry < 180, `${withEntry}`); // 0.3 + 0.7 * 0.5 = 0.65 of rows
  const bad = FactMixSchema.safeParse({ slots: 4, max_fillers: 4 });
  assertEquals(bad.success, false);
  assertEquals(
    bad.error?.issues[0].message,
    "max_fillers 4 leaves no slot for the query's entry (slots 4); use at most 3",
  );
});
