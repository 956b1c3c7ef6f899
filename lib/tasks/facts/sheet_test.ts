import { assertEquals } from "@std/assert";
import { BLANK_SLOT, entrySpan, sheetPrompt, sheetText, sheetTokens, slotIndices } from "./sheet.ts";

const E = [{ key: "ab", value: "1" }, { key: "cd", value: "2" }];

Deno.test("slotIndices: near, far and spread", () => {
  const cases: [number, number, "near" | "far" | "spread", number[]][] = [
    [2, 4, "near", [2, 3]],
    [2, 4, "far", [0, 1]],
    [2, 4, "spread", [1, 3]],
    [1, 4, "spread", [2]],
    [4, 4, "spread", [0, 1, 2, 3]],
    [0, 4, "near", []],
  ];
  for (const [n, slots, p, want] of cases) assertEquals(slotIndices(n, slots, p), want, `${n} ${slots} ${p}`);
});

Deno.test("sheetText: exact strings; order 0 keeps the order; every sheet of a size has one length", () => {
  assertEquals(sheetText(E, 4, { order: 0, placement: "far" }), "[ab=1,cd=2,##=#,##=#]");
  assertEquals(sheetText(E, 4, { order: 0, placement: "near" }), "[##=#,##=#,ab=1,cd=2]");
  assertEquals(
    sheetText([], 3, { order: 0, placement: "near" }),
    `[${[BLANK_SLOT, BLANK_SLOT, BLANK_SLOT].join(",")}]`,
  );
  assertEquals(sheetPrompt(E, "cd", 2, { order: 0, placement: "far" }), "^[ab=1,cd=2]cd=");
  for (const slots of [1, 4, 6]) {
    assertEquals(sheetText([], slots, { order: 0, placement: "near" }).length, sheetTokens(slots));
    assertEquals(
      sheetText(E.slice(0, 1), slots, { order: 5, placement: "spread" }).length,
      sheetTokens(slots),
    );
  }
  // a permutation seed reorders but keeps the entries
  const shuffled = sheetText(E, 2, { order: 7, placement: "far" });
  assertEquals([...shuffled.matchAll(/[a-z]{2}=\d/g)].map((m) => m[0]).sort(), ["ab=1", "cd=2"]);
});

Deno.test("entrySpan: the slot holding the key, by position; null when absent", () => {
  const p = sheetPrompt(E, "cd", 4, { order: 0, placement: "near" }); // "^[##=#,##=#,ab=1,cd=2]cd="
  assertEquals(p, "^[##=#,##=#,ab=1,cd=2]cd=");
  assertEquals(entrySpan(p, "cd"), { start: 17, end: 21 });
  assertEquals(p.slice(17, 21), "cd=2");
  assertEquals(entrySpan(p, "ab"), { start: 12, end: 16 });
  assertEquals(entrySpan(p, "xy"), null);
  assertEquals(entrySpan("^cd=", "cd"), null); // no sheet
});
