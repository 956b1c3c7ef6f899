import { assertEquals, assertThrows } from "@std/assert";
import { Rng } from "../core/rng.ts";
import { makeTask, TaskSettingsSchema } from "../tasks/task.ts";
import { parsePrompt as parsePrecedent } from "../tasks/precedent.ts";
import { splitContext } from "./context.ts";
import { FormatOptionsSchema, FORMATS, FormatSampler, majorityLabel } from "./formats.ts";
import { goldPlan, planPrompt } from "./plan.ts";

const arith = makeTask(TaskSettingsSchema.parse({ family: "arithmetic", ops: ["+", "-"] }));
const prec = makeTask(TaskSettingsSchema.parse({ family: "precedent" }));
const opts = FormatOptionsSchema.parse({ segment_lengths: [2], pool_worlds: 4, pool_bank: 60 });

Deno.test("arithmetic formats: the plan and every context kind around the same problem", () => {
  const f = new FormatSampler(arith, opts);
  const draw = (format: string) => f.sample(format, new Rng(11), 5); // same seed: same problem
  const bare = draw("bare");
  const steps = bare.target.split(">")[0].split(";");
  assertEquals(draw("plan"), { prompt: planPrompt(bare.prompt, 2), target: goldPlan(bare.prompt, 2) + "$" });
  const results = [steps[1], steps[3], steps[4]].map((s) => s.split("=")[1]);
  assertEquals(splitContext(draw("answer_like").prompt), {
    bare: bare.prompt,
    block: results.map((r) => [r]),
  });
  assertEquals(splitContext(draw("trace").prompt).block, [[steps.slice(0, 2).join(";")], [
    steps.slice(2, 4).join(";"),
  ], [steps[4]]]);
  assertEquals(splitContext(draw("answer").prompt).block, [[bare.target[bare.target.length - 2]]]);
  assertEquals(splitContext(draw("partial").prompt).block, [[steps.slice(0, 2).join(";")]]);
  assertEquals(splitContext(draw("solution").prompt).block, [[bare.target.slice(0, -1)]]);
  for (const format of FORMATS.arithmetic) {
    assertEquals(draw(format).target, format === "plan" ? draw("plan").target : bare.target);
  }
});

Deno.test("precedent harness formats come from other worlds, with k precedents or confirmers | challengers", () => {
  const f = new FormatSampler(prec, opts);
  const rng = new Rng(5);
  for (let i = 0; i < 20; i++) {
    const d = f.sample("draft", rng, 3), v = f.sample("verify", rng, 3), t = f.sample("trace", rng, 3);
    const dc = splitContext(d.prompt), vc = splitContext(v.prompt.slice(0, -2)), tc = splitContext(t.prompt);
    assertEquals(dc.block!.length === 1 && dc.block![0].length === 5, true);
    assertEquals(dc.block![0].every((item) => /^[a-p]{6}[A-H]$/.test(item)), true);
    assertEquals(v.prompt.at(-1), "!");
    const draft = v.prompt.at(-2)!;
    assertEquals(vc.block!.length, 2);
    assertEquals(vc.block![0].every((item) => item.endsWith(draft)), true); // confirmers share the draft
    assertEquals(vc.block![1].every((item) => !item.endsWith(draft)), true); // challengers do not
    assertEquals([tc.block!.length, tc.block![3]], [4, [t.target[0]]]); // trace ends with the true label
    assertEquals(parsePrecedent(dc.bare) !== null, true);
  }
  assertEquals(
    f.sample("bare", new Rng(1), 2),
    (() => {
      const ex = prec.sample(new Rng(1), 2);
      return { prompt: ex.prompt, target: ex.target };
    })(),
  ); // bare is the home world, exactly the task's own sample
});

Deno.test("no example is longer than maxLength (the bound the SFT config checks)", () => {
  for (const [task, levels] of [[arith, [1, 2, 5, 8]], [prec, [1, 3, 5]]] as const) {
    const f = new FormatSampler(
      task,
      FormatOptionsSchema.parse({ segment_lengths: [1, 3], pool_worlds: 3, pool_bank: 40 }),
    );
    const rng = new Rng(2);
    for (const format of FORMATS[task.family]) {
      for (const level of levels) {
        for (let i = 0; i < 15; i++) {
          const ex = f.sample(format, rng, level);
          const n = ex.prompt.length + ex.target.length, max = f.maxLength(format, level);
          if (n > max) throw new Error(`${format} L${level}: ${n} > ${max}: ${ex.prompt}${ex.target}`);
        }
      }
    }
  }
});

Deno.test("format names are checked per family; majority label ties go to the nearest", () => {
  assertThrows(
    () => new FormatSampler(arith, opts).sample("draft", new Rng(0), 1),
    Error,
    "use one of bare, plan",
  );
  assertEquals(majorityLabel(["A", "B", "B", "A", "C"]), "A");
  assertEquals(majorityLabel(["C", "B", "B"]), "B");
});
