import { assertEquals } from "@std/assert";
import { silentCells } from "./execute.ts";

Deno.test("silentCells: code cells ending in an expression without output, imports and ';' excepted", () => {
  const code = (source: string | string[], outputs: unknown[] = []) => ({
    cell_type: "code",
    source,
    outputs,
  });
  const nb = {
    cells: [
      code('import { a } from "./a.ts";\nimport { b } from "./b.ts";'), // imports: no value shown
      code("const x = 1;\nx"), // lost output
      code("const y = 2;\ny", [{ output_type: "execute_result" }]), // fine
      code("await save();"), // ends in ';'
      { cell_type: "markdown", source: "# title" },
      code(["showTable(t, {\n", "  caption: 'c',\n", "})\n", "// trailing comment\n"]), // lost output
      code(""),
    ],
  };
  assertEquals(silentCells(nb), [1, 5]);
});
