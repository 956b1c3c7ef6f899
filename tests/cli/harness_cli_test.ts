/** `deno task lab harness` as a user runs it: tables, traces, and one clear line for bad input. */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { tinyModel, useWasm } from "../helpers/tiny.ts";
import { lab } from "../helpers/lab.ts";
import { saveModelDir } from "../../lib/model/checkpoint.ts";
import { VOCAB, VOCAB_SIZE } from "../../lib/tasks/tokenizer.ts";
import { MemoryBank } from "../../lib/harness/memory_bank.ts";

await useWasm();

// A run directory as a base model's: model/ and bank.json beside it.
const run = await Deno.makeTempDir();
const model = tinyModel({ vocab_size: VOCAB_SIZE, block_size: 128 }, 5);
await saveModelDir(`${run}/model`, model.config, model.stateDict());
await new MemoryBank([{ prompt: "^aeimbf?", label: "C", level: 1 }]).save(`${run}/bank.json`);
const small = `${await Deno.makeTempDir()}/model`; // no bank beside it
const tiny = tinyModel({ vocab_size: VOCAB_SIZE, block_size: 24 }, 5);
await saveModelDir(small, tiny.config, tiny.stateDict());

Deno.test("lab harness plan_solve prints the per-level table and full traces", async () => {
  const r = await lab(
    "harness",
    "--model",
    `${run}/model`,
    "--harness",
    "plan_solve",
    "--set",
    "arith_pm_eval",
    "--per-level",
    "2",
    "--show",
    "1",
  );
  assertEquals(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  assertEquals(lines[0], "plan_solve, mode harness, set arith_pm_eval");
  assertEquals(lines[1], "level     n  exact  95% CI (Wilson)");
  assertEquals(lines.filter((l) => /^\s+\d+\s+2\s+\d\.\d{3}/.test(l)).length, 16);
  assertStringIncludes(r.stdout, "(level 16)");
  assertStringIncludes(r.stdout, "  plan     ^");
  assertStringIncludes(r.stdout, "teacher context, trace:");
});

const dv = ["harness", "--model", `${run}/model`, "--harness", "draft_verify", "--set", "precedent_eval"];
Deno.test("lab harness draft_verify: fresh bank by default, warm from the bank beside the model", async () => {
  const fresh = await lab(...dv, "--per-level", "3");
  assertEquals(fresh.code, 0, fresh.stderr);
  assertStringIncludes(
    fresh.stdout,
    "draft_verify, mode fresh, set precedent_eval\nlevel     n  exact  95% CI (Wilson)  macro-F1  Bayes",
  );
  const warm = await lab(...dv, "--per-level", "2", "--mode", "warm");
  assertEquals(warm.code, 0, warm.stderr);
  assertStringIncludes(warm.stdout, "mode warm, set precedent_eval, warm bank of 1");
});

const notJson = `${run}/broken.json`, otherVocab = `${run}/other.json`;
await Deno.writeTextFile(notJson, '{"format": "harnesslab.memory_bank", ');
await Deno.writeTextFile(otherVocab, JSON.stringify({ ...new MemoryBank().toJson(), vocab: VOCAB.slice(1) }));

// [args, fragment of the error]: bad input exits 1 with one clear line and no stack trace.
const m = ["--model", `${run}/model`];
const bad: [string[], string][] = [
  [
    [...m, "--harness", "cot", "--set", "arith_pm_eval"],
    "unknown harness 'cot'. Fix: use one of plan_solve, draft_verify",
  ],
  [
    [...m, "--harness", "plan_solve", "--set", "precedent_eval"],
    "plan_solve serves arithmetic sets, but set 'precedent_eval' is precedent",
  ],
  [
    [...m, "--harness", "plan_solve", "--set", "arith_pm_eval", "--mode", "warm"],
    "mode 'warm' does not apply to plan_solve (it has no bank)",
  ],
  [
    [...m, "--harness", "plan_solve", "--set", "arith_pm_eval", "--segment-length", "0"],
    "segment_length must be at least 1",
  ],
  [
    ["--model", small, "--harness", "plan_solve", "--set", "arith_pm_eval"],
    "but the model's block_size is 24. Fix: evaluate levels up to 6",
  ],
  [
    ["--model", small, "--harness", "draft_verify", "--set", "precedent_eval"],
    "a call needs 93 tokens, more than the model's block_size 24",
  ],
  [
    ["--model", small, "--harness", "draft_verify", "--set", "precedent_eval", "--mode", "warm"],
    "bank.json does not exist",
  ],
  [
    [...m, "--harness", "draft_verify", "--set", "precedent_eval", "--mode", "warm", "--bank", notJson],
    "is not JSON",
  ],
  [
    [...m, "--harness", "draft_verify", "--set", "precedent_eval", "--mode", "warm", "--bank", otherVocab],
    "written with another tokenizer",
  ],
];
for (const [args, fragment] of bad) {
  Deno.test(`lab harness rejects bad input: ${fragment}`, async () => {
    const r = await lab("harness", ...args);
    assertEquals(r.code, 1, r.stdout);
    assertStringIncludes(r.stderr, "error: ");
    assertStringIncludes(r.stderr, fragment);
    assertEquals(r.stderr.includes("    at "), false, r.stderr);
  });
}
