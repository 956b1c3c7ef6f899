import { assertEquals } from "@std/assert";
import { makeTask, TaskSettingsSchema } from "../tasks/task.ts";
import { FormatOptionsSchema } from "./formats.ts";
import { formatRetention } from "./retention.ts";
import { arithmeticOracle, ScriptedModel, solveArithmetic } from "./testdata/scripted.ts";
import { splitContext } from "./context.ts";

const arith = makeTask(TaskSettingsSchema.parse({ family: "arithmetic", ops: ["+", "-"] }));
const opts = FormatOptionsSchema.parse({ segment_lengths: [2] });

Deno.test("format retention: exact match on gold probes of every harness format", () => {
  // An oracle that writes right plans and right scratchpads whatever the context: 1 on every format.
  const oracle = new ScriptedModel(
    128,
    (role, prompt) =>
      role === "plan" ? arithmeticOracle(role, prompt) : solveArithmetic(splitContext(prompt).bare),
  );
  const rows = formatRetention(oracle, arith, opts, { n: 6, levels: [2, 5] });
  assertEquals(rows.map((r) => [r.format, r.n, r.exact]), [
    ["plan", 6, 1],
    ["answer_like", 6, 1],
    ["trace", 6, 1],
    ["answer", 6, 1],
    ["partial", 6, 1],
    ["solution", 6, 1],
  ]);
  // A model that forgot how to plan (it answers every call as a bare problem): 0 on plan only.
  const forgot = new ScriptedModel(
    128,
    (role, prompt) => role === "plan" ? "9$" : solveArithmetic(splitContext(prompt).bare),
  );
  const plan = formatRetention(forgot, arith, opts, { n: 6, levels: [2, 5], formats: ["plan"] })[0];
  assertEquals([plan.exact, +plan.hi.toFixed(3)], [0, 0.39]); // Wilson upper bound of 0 of 6
});
