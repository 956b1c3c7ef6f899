import { assertEquals, assertThrows } from "@std/assert";
import { numberFlag, parseFlags } from "./args.ts";
import { LabError } from "../core/errors.ts";

const spec = { string: ["model", "n"], boolean: ["json"], required: ["model"] };

Deno.test("parseFlags returns known flags", () => {
  assertEquals(parseFlags("eval", ["--model", "m", "--json"], spec, "u"), {
    model: "m",
    n: undefined,
    json: true,
  });
});

const bad: [string[], string][] = [
  [["--model", "m", "--modle", "x"], "eval: Unknown option '--modle'"],
  [["--json"], "eval: missing --model"],
  [["--model", "m", "extra"], "eval: Unexpected argument 'extra'"],
];
for (const [argv, msg] of bad) {
  Deno.test(`parseFlags rejects ${argv.join(" ")}`, () => {
    const e = assertThrows(() => parseFlags("eval", argv, spec, "eval --model DIR"), LabError);
    assertEquals(e.message.startsWith(msg), true, e.message);
    assertEquals(e.message.includes("usage: eval --model DIR"), true);
  });
}

Deno.test("numberFlag parses or names the flag", () => {
  assertEquals(numberFlag("sample", "n", "4", 1), 4);
  assertEquals(numberFlag("sample", "n", undefined, 1), 1);
  assertThrows(
    () => numberFlag("sample", "n", "four", 1),
    LabError,
    "sample: --n must be a number, got 'four'",
  );
});
