// Test helper: computes a slow cached run; prints the result and whether it was cached.
import { cachedRun } from "../run_cache.ts";
const [root, marker] = Deno.args;
const run = await cachedRun({ kind: "t", version: "1", config: { x: 1 }, root }, async () => {
  await Deno.writeTextFile(`${marker}-${Deno.pid}`, "computed");
  await new Promise((r) => setTimeout(r, 400));
  return { value: 42 };
});
console.log(
  JSON.stringify({ value: (run.result as { value: number }).value, cached: run.cached, key: run.key }),
);
