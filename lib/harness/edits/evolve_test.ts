import { assertEquals } from "@std/assert";
import { sheetEntries } from "./evolve.ts";
import { evolveSheet } from "./evolve.ts";
import { Gpt } from "../../model/gpt.ts";
import { parseGptConfig } from "../../model/config.ts";
import { Rng } from "../../core/rng.ts";
import { VOCAB_SIZE } from "../../tasks/tokenizer.ts";
import { FactTable } from "../../tasks/facts/table.ts";
import { rankFacts } from "../../sample/fact_answers.ts";
import { useWasm } from "../../../tests/helpers/tiny.ts";

await useWasm();

const r = (key: string, truth: string, digits: string, confidence: number) => ({
  key,
  truth,
  digits: [...digits],
  confidence,
});
// k1 right; k2 wrong, truth at rank 2; k3 wrong, truth at rank 3; k4 wrong, truth at rank 5; k5 right
const ranked = [
  r("k1", "1", "1234567890", 0.9),
  r("k2", "2", "1234567890", 0.3),
  r("k3", "3", "1234567890", 0.2),
  r("k4", "5", "1234567890", 0.5),
  r("k5", "5", "5123467890", 0.8),
];

Deno.test("sheetEntries: the three writing rules, by hand", () => {
  const cases: [string, number, number, string[]][] = [
    // rule, slots, tries, "key=value" entries
    ["failures", 4, 3, ["k2=2", "k3=3"]], // k4's truth is beyond 3 tries
    ["failures", 4, 2, ["k2=2"]],
    ["failures", 4, 5, ["k2=2", "k3=3", "k4=5"]],
    ["failures", 1, 3, ["k2=2"]],
    ["padded", 4, 3, ["k2=2", "k3=3", "k1=1", "k5=5"]],
    ["padded", 3, 3, ["k2=2", "k3=3", "k1=1"]],
    ["own", 3, 3, ["k3=1", "k2=1", "k4=1"]], // least confident first, greedy (possibly wrong) values
  ];
  for (const [rule, slots, tries, want] of cases) {
    const got = sheetEntries(ranked, rule as "failures", slots, tries).map((e) => `${e.key}=${e.value}`);
    assertEquals(got, want, `${rule} slots ${slots} tries ${tries}`);
  }
});

Deno.test("evolveSheet: entries agree with the model's own ranking and the verifier", () => {
  const table = FactTable.build({ n_keys: 30 });
  const m = Gpt.init(
    parseGptConfig({ vocab_size: VOCAB_SIZE, block_size: 32, n_layer: 1, n_embd: 16, n_head: 2 }),
    new Rng(3),
  );
  try {
    const dev = table.keys.slice(0, 12);
    const ranks = rankFacts(m, dev.map((k) => table.query(k).prompt));
    const s = evolveSheet(m, table, dev, { rule: "failures", slots: 4, tries: 3, evolver: "t", seed: 0 });
    const want = dev.filter((k, i) =>
      ranks[i].digits[0] !== table.value(k) && ranks[i].digits.slice(1, 3).includes(table.value(k))
    )
      .slice(0, 4).map((k) => ({ key: k, value: table.value(k) }));
    assertEquals(s.entries, want);
    const own = evolveSheet(m, table, dev, { rule: "own", slots: 4, tries: 3, evolver: "t", seed: 0 });
    assertEquals(own.entries.length, 4);
    for (const e of own.entries) assertEquals(e.value, ranks[dev.indexOf(e.key)].digits[0]);
  } finally {
    m.dispose();
  }
});
