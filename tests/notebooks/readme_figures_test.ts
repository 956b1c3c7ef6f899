/** The README's figure table cannot drift from what the notebooks declare and save. */
import { assertEquals } from "@std/assert";
import { PROJECT_ROOT } from "../../lib/core/paths.ts";
import { declaredFigures } from "../../lib/cli/notebooks/execute.ts";
import { listNotebooks } from "../../lib/cli/notebooks/main.ts";

Deno.test("README maps every declared figure to its notebook, and nothing else", async () => {
  const readme = await Deno.readTextFile(`${PROJECT_ROOT}README.md`);
  const rows = [...readme.matchAll(/^\| `figures\/([a-z0-9_-]+)\.svg` +\| `notebooks\/([^`]+)` /gm)]
    .map((m) => `${m[1]} <- ${m[2]}`).sort();
  const declared: string[] = [];
  for (const path of await listNotebooks()) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    const nb = JSON.parse(await Deno.readTextFile(path));
    for (const f of declaredFigures(nb, name)) declared.push(`${f} <- ${name}`);
  }
  assertEquals(rows, declared.sort());
});
