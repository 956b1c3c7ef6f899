import { assertEquals, assertRejects } from "@std/assert";
import { constantGuessRate, FACTS_DIR, FACTS_EVAL, generateFactsEval, loadFactsEval } from "./eval_set.ts";

Deno.test("the committed fact eval set matches its checksum and regenerates identically", async () => {
  const { queries } = await loadFactsEval();
  assertEquals(queries, generateFactsEval());
  for (let b = 1; b <= FACTS_EVAL.table.bands; b++) {
    assertEquals(queries.filter((q) => q.level === b).length, FACTS_EVAL.per_level);
  }
});

Deno.test("a changed fact eval set is refused with the file named", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.copyFile(`${FACTS_DIR}/facts_eval.sha256`, `${dir}/facts_eval.sha256`);
    const text = await Deno.readTextFile(`${FACTS_DIR}/facts_eval.jsonl`);
    await Deno.writeTextFile(`${dir}/facts_eval.jsonl`, text.replace('"answer":"', '"answer":"9'));
    await assertRejects(() => loadFactsEval(dir), Error, `${dir}/facts_eval.jsonl: sha256`);
    await assertRejects(() => loadFactsEval(`${dir}/missing`), Error, "cannot read the fact eval set");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("constantGuessRate: the most common answer's share", () => {
  const q = (answer: string) => ({ key: "ab", level: 1, prompt: "^ab=", target: `${answer}$`, answer });
  assertEquals(constantGuessRate([q("1"), q("2"), q("1"), q("3")]), 0.5);
});
