import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { parseJsonl, toJsonl } from "./dataset.ts";
import { LabError } from "../core/errors.ts";

const good =
  '{"id":"a-1","family":"arithmetic","level":2,"prompt":"^3+4*2=","target":"3+4=7;7*2=4>4$","answer":"4"}';
const goodP = '{"id":"p-1","family":"precedent","level":1,"prompt":"^aeimbf?","target":"C$","answer":"C"}';

Deno.test("parseJsonl accepts valid lines and round-trips through toJsonl", () => {
  const rows = parseJsonl(`${good}\n${goodP}\n`, "x.jsonl");
  assertEquals(rows.length, 2);
  assertEquals(toJsonl(rows), `${good}\n${goodP}\n`);
});

// [text, message fragment]: every error names the file, the line and the field.
const bad: [string, string][] = [
  [
    `${good}\n{"id":"a-2","family":"arithmetic","level":"x","prompt":"^3+4=","target":"7>7$","answer":"7"}`,
    "f.jsonl line 2:\n- field 'level': Invalid input: expected number, received string (got \"x\")",
  ],
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
