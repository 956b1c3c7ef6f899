/** The CLI as a user runs it: a subprocess, its exit code, stdout and stderr. */
import { assert, assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { tinyModel, useWasm } from "../helpers/tiny.ts";
import { lab } from "../helpers/lab.ts";
import { saveModelDir } from "../../lib/model/checkpoint.ts";
import { VOCAB_SIZE } from "../../lib/tasks/tokenizer.ts";

await useWasm();

const model = tinyModel({ vocab_size: VOCAB_SIZE, block_size: 48 }, 5);
const dir = `${await Deno.makeTempDir()}/model`;
await saveModelDir(dir, model.config, model.stateDict());

Deno.test("logits prints [T][V] log-probs equal to the model's", async () => {
  const r = await lab("logits", "--model", dir, "--tokens", "1,6,13,7,16");
  assertEquals(r.code, 0, r.stderr);
  const lp: number[][] = JSON.parse(r.stdout);
  assertEquals([lp.length, lp[0].length], [5, VOCAB_SIZE]);
  const want = model.logProbs([[1, 6, 13, 7, 16]])[0];
  lp.forEach((row, t) => row.forEach((v, i) => assertAlmostEquals(v, want[t][i], 1e-6)));
});

Deno.test("eval prints per-level exact match as JSON; sample prints completions", async () => {
  const r = await lab("eval", "--model", dir, "--set", "arith_pm_eval", "--per-level", "3", "--json");
  assertEquals(r.code, 0, r.stderr);
  const scores = JSON.parse(r.stdout);
  assertEquals(scores.length, 16);
  assertEquals(scores[0].n, 3);
  const s = await lab(
    "sample",
    "--model",
    dir,
    "--prompt",
    "^3+4=",
    "--n",
    "2",
    "--seed",
    "1",
    "--max-new",
    "5",
  );
  assertEquals(s.code, 0, s.stderr);
  assertEquals(s.stdout.trim().split("\n").length, 2);
  assert(s.stdout.startsWith("^3+4="));
});

// [args, fragment of the error]: bad input exits 1 with one clear line and no stack trace.
const bad: [string[], string][] = [
  [["train", "--config", "/nonexistent.json"], "file not found: /nonexistent.json"],
  [["logits", "--model", dir, "--tokens", "1,x,3"], "token 1 ('x') must be an integer in 0..55"],
  [["logits", "--model", "/nonexistent", "--tokens", "1"], "model directory not found: /nonexistent"],
  [["logits", "--model", dir], "missing --tokens"],
  [["eval", "--model", dir, "--set", "nope"], "unknown eval set 'nope'"],
  [["frobnicate"], "unknown command 'frobnicate'"],
  [["sample", "--model", dir, "--prompt", "^3x4="], 'character "x" at position 2'],
  // A negative number is read as the flag's value and refused for what it is, not as "ambiguous".
  [
    ["sample", "--model", dir, "--prompt", "^3+4=", "--temperature", "-1"],
    "--temperature must be at least 0 (0 is greedy), got -1",
  ],
  [["sample", "--model", dir, "--prompt", "^3+4=", "--n", "0"], "--n must be at least 1, got 0"],
];
for (const [args, fragment] of bad) {
  Deno.test(`lab ${args[0]} rejects bad input: ${fragment}`, async () => {
    const r = await lab(...args);
    assertEquals(r.code, 1);
    assertStringIncludes(r.stderr, `error: `);
    assertStringIncludes(r.stderr, fragment);
    assertEquals(r.stderr.includes("    at "), false, r.stderr);
  });
}

Deno.test("train rejects a config with unknown and mistyped fields, naming each, and writes no run", async () => {
  const root = await Deno.makeTempDir();
  const cfg = `${root}/bad.json`;
  await Deno.writeTextFile(cfg, JSON.stringify({ steps: "ten", modle: {} }));
  const r = await lab("train", "--config", cfg, "--runs", `${root}/runs`);
  assertEquals(r.code, 1);
  assertStringIncludes(r.stderr, `${cfg} is invalid`);
  assertStringIncludes(r.stderr, "field 'steps'");
  assertStringIncludes(r.stderr, "unknown field 'modle'");
  let exists = true;
  await Deno.stat(`${root}/runs`).catch(() => (exists = false));
  assertEquals(exists, false);
});
