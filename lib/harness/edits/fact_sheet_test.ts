import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { entryTokens, factSheet, loadFactSheet, parseFactSheet, saveFactSheet } from "./fact_sheet.ts";
import { sheetText } from "../../tasks/facts/sheet.ts";
import { blockLength, blockText, splitContext } from "../context.ts";

const good = factSheet({
  evolver: "L2-d64",
  rule: "padded",
  seed: 2,
  slots: 4,
  entries: [{ key: "ab", value: "7" }, { key: "Cd", value: "0" }],
});

Deno.test("entryTokens counts what the entries take inside a sheet", () => {
  assertEquals(entryTokens([]), 0);
  assertEquals(entryTokens(good.entries), "[ab=7,Cd=0]".length);
  assertEquals(entryTokens(good.entries), sheetText(good.entries, 2, { order: 0, placement: "far" }).length);
});

Deno.test("save then load round-trips, one entry per line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await saveFactSheet(`${dir}/s.json`, good);
    assertEquals(await loadFactSheet(`${dir}/s.json`), good);
    const text = await Deno.readTextFile(`${dir}/s.json`);
    assertEquals(text.split("\n").filter((l) => l.includes('"key"')).length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad sheets: errors name the file and the field", async () => {
  const cases: [unknown, string][] = [
    [{ ...good, budget_tokens: 5 }, "bad.json: entries take 11 tokens, over budget_tokens 5"],
    [{ ...good, vocab: "abc" }, "bad.json: vocab was written for another tokenizer"],
    [{ ...good, entries: [{ key: "a$", value: "7" }] }, "field 'entries.0.key'"],
    [{ ...good, entries: [{ key: "ab", value: "12" }] }, "field 'entries.0.value'"],
    [
      { ...good, entries: [{ key: "ab", value: "1" }, { key: "ab", value: "2" }] },
      'entries[1].key "ab" is repeated',
    ],
    [{ ...good, rule: "guess" }, "field 'rule'"],
    [{ ...good, kind: undefined }, "field 'kind'"],
    [{ ...good, extra: 1 }, "unknown field 'extra'"],
  ];
  for (const [input, msg] of cases) assertThrows(() => parseFactSheet(input, "bad.json"), Error, msg);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/broken.json`, '{"kind": "fact-sheet",');
    await assertRejects(
      () => loadFactSheet(`${dir}/broken.json`),
      Error,
      `${dir}/broken.json is not valid JSON`,
    );
    await Deno.writeTextFile(`${dir}/over.json`, JSON.stringify({ ...good, budget_tokens: 3 }));
    await assertRejects(() => loadFactSheet(`${dir}/over.json`), Error, `${dir}/over.json: entries take`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a sheet in a prompt is a one-group block of the harness context grammar", () => {
  const text = sheetText(good.entries, 4, { order: 0, placement: "spread" });
  const cells = text.slice(1, -1).split(",");
  assertEquals(blockText([cells]), text);
  assertEquals(blockLength([cells]), text.length);
  assertEquals(splitContext(`^${text}ab=`).bare, "^ab=");
});
