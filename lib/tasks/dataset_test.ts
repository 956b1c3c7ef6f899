import { assertEquals, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
import { parseJsonl, readJsonl, toJsonl, writeJsonl } from "./dataset.ts";
import { LabError } from "../core/errors.ts";

const good =
  '{"id":"a-1","family":"arithmetic","level":2,"prompt":"^3+4*2=","target":"3+4=7;7*2=4>4$","answer":"4"}';
const goodP = '{"id":"p-1","family":"precedent","level":1,"prompt":"^aeimbf?","target":"C$","answer":"C"}';

Deno.test("parseJsonl accepts valid lines and round-trips through toJsonl", () => {
  const rows = parseJsonl(`${good}\n${goodP}\n`, "x.jsonl");
  assertEquals(rows.length, 2);
  assertEquals(toJsonl(rows), `${good}\n${goodP}\n`);
  assertEquals(parseJsonl(`${good}\n${goodP}`, "x.jsonl"), rows); // final newline optional
  assertEquals(parseJsonl(good.replace('"3+4=7;7*2=4>4$"', '">4$"') + "\n", "x.jsonl")[0].target, ">4$");
});

Deno.test("writeJsonl / readJsonl round trip; a malformed file names file, line and field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/set.jsonl`;
    const rows = parseJsonl(`${good}\n${goodP}\n`, "x.jsonl");
    await writeJsonl(path, rows);
    assertEquals(await readJsonl(path), rows);
    const lines = [good, goodP, good.replace('"a-1"', '"a-3"').replace('"level":2', '"level":"x"')];
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
    const e = await assertRejects(() => readJsonl(path), LabError);
    assertStringIncludes(e.message, `${path} line 3: field 'level': Invalid input: expected number`);
    assertStringIncludes(e.message, '(got "x")');
    await assertRejects(() => readJsonl(`${dir}/missing.jsonl`), LabError, "cannot read");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// [text, message fragment]: every error names the file, the line and the field.
const bad: [string, string][] = [
  [
    `${good}\n{"id":"a-2","family":"arithmetic","level":"x","prompt":"^3+4=","target":"7>7$","answer":"7"}`,
    "f.jsonl line 2: field 'level': Invalid input: expected number, received string (got \"x\")",
  ],
  [
    good.replace('"level":2', '"level":2.5').replace('"answer":"4"', '"answer":4'),
    "f.jsonl line 1: field 'level': Invalid input: expected int, received number (got 2.5); field 'answer'",
  ],
  [good.replace('"level":2', '"level":17'), "f.jsonl line 1: field 'level': expected 1..16 (got 17)"],
  [good.replace('"id":"a-1",', ""), "f.jsonl line 1: field 'id': Invalid input"],
  [good.replace('"^3+4*2="', '"^3+4*2"'), "f.jsonl line 1: field 'prompt': expected \"^a op b ... =\""],
  [good.replace('"3+4=7;7*2=4>4$"', '"3+4=7;7*2=4>4#"'), "f.jsonl line 1: field 'target': expected"],
  [good.replace('"3+4=7;7*2=4>4$"', '"7;4>4$"'), "f.jsonl line 1: field 'target': expected"],
  [good.replace('"3+4=7;7*2=4>4$"', '"3+4=7;7*2=4>4Z"'), "f.jsonl line 1: field 'target': cannot tokenise"],
  [
    goodP.replace('"^aeimbf?"', '"^eaimbf?"'),
    "f.jsonl line 1: field 'prompt': expected \"^\" + one letter per slot",
  ],
  [goodP.replace('"level":1', '"level":10'), "f.jsonl line 1: field 'level': expected 1..9 (got 10)"],
  ["[1,2]", "f.jsonl line 1: field '(top level)'"],
  [`${good}\n\n${goodP}`, "f.jsonl line 2: blank line"],
  [`{"id":`, "f.jsonl line 1: not valid JSON"],
  [good.replace('"answer":"4"', '"answer":"4","extra":1'), "unknown field 'extra'"],
  [
    good.replace('"3+4=7;7*2=4>4$"', '"3+4=7;7*2=5>5$"'),
    "f.jsonl line 1: field 'target': expected \"3+4=7;7*2=4>4$\" for this prompt",
  ],
  [good.replace('"answer":"4"', '"answer":"5"'), "f.jsonl line 1: field 'answer': expected \"4\""],
  [
    good.replace('"level":2', '"level":3'),
    "f.jsonl line 1: field 'level': prompt has 2 operations but level is 3",
  ],
  [good.replace('"^3+4*2="', '"^3+4x2="'), "f.jsonl line 1: field 'prompt'"],
  [`${good}\n${good}`, "f.jsonl line 2: field 'id': duplicate id \"a-1\""],
  [
    goodP.replace('"C$"', '"D$"'),
    'f.jsonl line 1: field \'target\': expected label + "$" matching answer "C"',
  ],
];
for (const [text, fragment] of bad) {
  Deno.test(`parseJsonl rejects: ${fragment.split("\n")[0].slice(0, 70)}`, () => {
    const e = assertThrows(() => parseJsonl(text, "f.jsonl"), LabError);
    assertStringIncludes(e.message, fragment);
    assertStringIncludes(e.message, "scripts/deno task datasets");
  });
}
