import { assertEquals, assertThrows } from "@std/assert";
import { numberFlag, parseCommandLine, parseFlags } from "./args.ts";
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

Deno.test("a value starting with a dash is the flag's value, not an ambiguous argument", () => {
  const s = { string: ["temperature", "prompt", "model"] };
  assertEquals(parseFlags("sample", ["--temperature", "-1", "--prompt", "-3+4="], s, "u"), {
    temperature: "-1",
    prompt: "-3+4=",
    model: undefined,
  });
  assertEquals(parseFlags("sample", ["--temperature=-0.5"], s, "u").temperature, "-0.5");
  assertThrows(
    () => parseFlags("sample", ["--model", "--prompt", "x"], s, "sample --model DIR"),
    LabError,
    "sample: --model needs a value, but is followed by the flag --prompt",
  );
  assertThrows(() => parseFlags("sample", ["--model"], s, "u"), LabError, "argument missing");
});

Deno.test("parseCommandLine returns positionals only when the spec allows them", () => {
  const spec = { string: ["out"], positionals: true };
  assertEquals(parseCommandLine("runs export", ["a.ipynb", "--out", "x.tgz", "b.ipynb"], spec, "u"), {
    flags: { out: "x.tgz" },
    positionals: ["a.ipynb", "b.ipynb"],
  });
});

Deno.test("numberFlag rules name the flag, the value and the rule", () => {
  const rule = { min: 0, note: "0 is greedy" };
  assertEquals(numberFlag("sample", "temperature", "0", 1, rule), 0);
  assertThrows(
    () => numberFlag("sample", "temperature", "-1", 1, rule),
    LabError,
    "sample: --temperature must be at least 0 (0 is greedy), got -1",
  );
  assertThrows(
    () => numberFlag("sample", "n", "2.5", 1, { integer: true, min: 1 }),
    LabError,
    "sample: --n must be a whole number, got 2.5",
  );
  assertEquals(numberFlag("sample", "seed", "-3", 0, { integer: true }), -3);
});
