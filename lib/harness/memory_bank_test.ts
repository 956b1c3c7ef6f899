import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { MemoryBank, tfidfRetriever } from "./memory_bank.ts";

// Six entries over 3 slots; the query "aei" matches e0 exactly, e1/e2/e3 in two slots, e4 in one, e5 in none.
const entries = [
  { prompt: "^aei?", label: "A", level: 1 },
  { prompt: "^aej?", label: "B", level: 1 },
  { prompt: "^afi?", label: "A", level: 2 },
  { prompt: "^bei?", label: "C", level: 2 },
  { prompt: "^bfi?", label: "B", level: 3 },
  { prompt: "^bfj?", label: "C", level: 3 },
];

Deno.test("nearest ranks by TF-IDF cosine; confirmers share the draft's label, challengers do not", () => {
  const bank = new MemoryBank(entries);
  const [near] = bank.nearest(["^aei?"], 4, tfidfRetriever);
  assertEquals(near[0].index, 0); // identical
  assertEquals(new Set(near.slice(1).map((h) => h.index)), new Set([1, 2, 3])); // two shared slots each
  const draft = "A";
  const [[conf], [chal]] = bank.select(["^aei?"], tfidfRetriever, [
    { k: 5, where: (_q, e) => e.label === draft },
    { k: 2, where: (_q, e) => e.label !== draft },
  ]);
  assertEquals(conf.map((h) => h.index), [0, 2]); // only two entries have label A
  assertEquals(chal.length, 2);
  assertEquals(chal.every((h) => h.entry.label !== "A" && [1, 3].includes(h.index)), true);
});

Deno.test("the bank grows: new entries are retrievable", () => {
  const bank = new MemoryBank(entries.slice(0, 2));
  assertEquals(bank.size, 2);
  const [before] = bank.nearest(["^bfj?"], 1, tfidfRetriever);
  assertEquals([before[0].index, before[0].score < 1], [1, true]); // "aej" shares the third slot only
  bank.add(entries.slice(2));
  assertEquals(bank.size, 6);
  const [after] = bank.nearest(["^bfj?"], 1, tfidfRetriever);
  assertEquals([after[0].entry, after[0].score.toFixed(4)], [entries[5], "1.0000"]);
});

Deno.test("bank file round trip and every malformed field is named", async () => {
  const dir = await Deno.makeTempDir();
  const bank = new MemoryBank(entries);
  await bank.save(`${dir}/bank.json`);
  assertEquals((await MemoryBank.load(`${dir}/bank.json`)).entries(), entries);
  const good = bank.toJson();
  const bad: [string, unknown, string][] = [
    ["not json", "{", "is not JSON"],
    ["another format", { ...good, format: "x" }, "field 'format'"],
    ["another version", { ...good, version: 2 }, "field 'version'"],
    ["another tokenizer", { ...good, vocab: "abc" }, "written with another tokenizer"],
    ["entries not an array", { ...good, entries: 3 }, "field 'entries' is not an array"],
    ["entry not a triple", { ...good, entries: [["^ab?", "A"]] }, "entries[0] is"],
    ["prompt without BOS", { ...good, entries: [["ab?", "A", 1]] }, "entries[0].prompt"],
    ["character outside the vocabulary", { ...good, entries: [["^aZ?", "A", 1]] }, "not in the vocabulary"],
    ["empty label", { ...good, entries: [["^ab?", "", 1]] }, "entries[0].label"],
    ["level 0", { ...good, entries: [["^ab?", "A", 0]] }, "entries[0].level"],
  ];
  for (const [name, data, msg] of bad) {
    const path = `${dir}/${name.replaceAll(" ", "_")}.json`;
    await Deno.writeTextFile(path, typeof data === "string" ? data : JSON.stringify(data));
    await assertRejects(() => MemoryBank.load(path), Error, msg);
  }
  await assertRejects(() => MemoryBank.load(`${dir}/missing.json`), Error, "cannot read bank file");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("adding a bad entry adds nothing", () => {
  const bank = new MemoryBank(entries.slice(0, 1));
  assertThrows(
    () => bank.add([entries[1], { prompt: "^a|b?", label: "A", level: 1 }]),
    Error,
    "context delimiter",
  );
  assertEquals(bank.size, 1);
});
