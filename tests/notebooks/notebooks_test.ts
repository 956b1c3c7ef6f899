/**
 * CI's notebook check: every notebook in notebooks/ is executed headless at
 * `smoke` scale with the real Jupyter (nbconvert) and the real Deno kernel,
 * into a temporary folder (the committed notebooks, figures/ and runs/ are
 * not touched). Fails when a cell errors or a declared figure is not written.
 * A step then shares the runs and re-executes from them (sharing.ts).
 */
import { assert, assertEquals, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
import { LabError } from "../../lib/core/errors.ts";
import { PROJECT_ROOT } from "../../lib/core/paths.ts";
import { declaredFigures, executeNotebook, missingDisplays } from "../../lib/cli/notebooks/execute.ts";
import { listNotebooks } from "../../lib/cli/notebooks/main.ts";
import { sharingRoundTrip } from "./sharing.ts";

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
}
interface Notebook {
  cells: { cell_type: string; execution_count?: number | null; outputs?: Output[] }[];
  metadata: unknown;
}

Deno.test({
  name: "every notebook executes at smoke scale with the Deno kernel and writes its figures",
  sanitizeResources: false,
  fn: async (t) => {
    const tmp = await Deno.makeTempDir({ prefix: "nb-test-" });
    try {
      const notebooks = await listNotebooks();
      assert(notebooks.length >= 1, "no notebooks found in notebooks/");
      const cmd = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          `${PROJECT_ROOT}lib/cli/notebooks/main.ts`,
          "--scale",
          "smoke",
          "--out",
          `${tmp}/out`,
          "--figures",
          `${tmp}/figures`,
          "--runs",
          `${tmp}/runs`,
          // One execution, no lost output allowed: the barrier client must make the run deterministic.
          "--attempts",
          "1",
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const log = new TextDecoder().decode(cmd.stdout) + new TextDecoder().decode(cmd.stderr);
      assertEquals(cmd.code, 0, `notebook run failed:\n${log}`);
      // The runner's own account: outputs that arrived after their cell's idle and were kept.
      for (const line of log.split("\n").filter((l) => l.includes(" done in "))) console.log(line);
      for (const path of notebooks) {
        const name = path.slice(path.lastIndexOf("/") + 1);
        const nb = JSON.parse(await Deno.readTextFile(`${tmp}/out/${name}`)) as Notebook;
        const code = nb.cells.filter((c) => c.cell_type === "code");
        assert(code.every((c) => typeof c.execution_count === "number"), `${name}: a code cell did not run`);
        const outputs = code.flatMap((c) => c.outputs ?? []);
        assertEquals(outputs.filter((o) => o.output_type === "error").length, 0, `${name}: error outputs`);
        assert(outputs.some((o) => o.data?.["image/svg+xml"]), `${name}: no inline SVG figure`);
        assert(outputs.some((o) => o.data?.["text/markdown"]), `${name}: no findings (Markdown) output`);
        const figures = declaredFigures(nb, name);
        assert(figures.length >= 1, `${name}: declares no figures in metadata.harnesslab.figures`);
        for (const f of figures) {
          const svg = await Deno.readTextFile(`${tmp}/figures/${f}.svg`);
          assert(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), `${f}.svg is not an SVG file`);
          assert((await Deno.stat(`${tmp}/figures/${f}.png`)).size > 1000, `${f}.png missing or empty`);
        }
      }
      await t.step(
        "shared as a run archive, it re-executes from an empty store with identical figures",
        () =>
          sharingRoundTrip({
            log,
            outDir: `${tmp}/out`,
            figuresDir: `${tmp}/figures`,
            runsDir: `${tmp}/runs`,
            dir: tmp,
          }),
      );
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

function notebook(sources: string[], figures?: string[]) {
  return JSON.stringify({
    cells: sources.map((s, i) => ({
      cell_type: "code",
      id: `c${i}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source: s,
    })),
    metadata: {
      kernelspec: { name: "deno", display_name: "Deno", language: "typescript" },
      ...(figures ? { harnesslab: { figures } } : {}),
    },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

Deno.test({
  name: "a failing cell fails the run, names the error, and leaves the output untouched",
  sanitizeResources: false,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "nb-fail-" });
    try {
      await Deno.writeTextFile(
        `${tmp}/bad.ipynb`,
        notebook(["const x = 1;", 'throw new Error("boom in cell 1");']),
      );
      await Deno.writeTextFile(`${tmp}/out.ipynb`, "previous");
      const e = await assertRejects(
        () =>
          executeNotebook(`${tmp}/bad.ipynb`, {
            scale: "smoke",
            outPath: `${tmp}/out.ipynb`,
            figuresDir: tmp,
          }),
        LabError,
      );
      assertStringIncludes(e.message, "boom in cell 1");
      assertEquals(await Deno.readTextFile(`${tmp}/out.ipynb`), "previous");
      const left = [];
      for await (const f of Deno.readDir(tmp)) left.push(f.name);
      assertEquals(left.sort(), ["bad.ipynb", "out.ipynb"]);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test({
  name: "a declared figure that is not written fails the run",
  sanitizeResources: false,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "nb-fig-" });
    try {
      await Deno.writeTextFile(`${tmp}/nofig.ipynb`, notebook(["1 + 1"], ["never_saved"]));
      await assertRejects(
        () =>
          executeNotebook(`${tmp}/nofig.ipynb`, {
            scale: "smoke",
            outPath: `${tmp}/o.ipynb`,
            figuresDir: tmp,
          }),
        LabError,
        "did not write never_saved.svg",
      );
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test({
  name: "outputs the kernel publishes after a cell's idle are kept: 36 cells, one execution",
  sanitizeResources: false,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "nb-late-" });
    try {
      // Without the barrier about one such cell in five loses its value (barrier_client.py's header).
      const sources = Array.from(
        { length: 36 },
        (_, i) =>
          i % 2
            ? `await new Promise((r) => setTimeout(r, 5)); ({ [Symbol.for("Jupyter.display")]: () => ({ "text/plain": "v${i}" }) })`
            : `const { show } = await import("${PROJECT_ROOT}lib/notebook/jupyter.ts"); await show({ "text/plain": "d${i}" });`,
      );
      await Deno.writeTextFile(`${tmp}/late.ipynb`, notebook(sources));
      const r = await executeNotebook(`${tmp}/late.ipynb`, {
        scale: "smoke",
        outPath: `${tmp}/out.ipynb`,
        figuresDir: tmp,
        attempts: 1,
      });
      assertEquals(r.lostOutputs, []);
      const nb = JSON.parse(await Deno.readTextFile(`${tmp}/out.ipynb`)) as Notebook;
      const texts = nb.cells.map((c) =>
        (c.outputs ?? []).map((o) => [o.data?.["text/plain"]].flat().join("")).join("|")
      );
      assertEquals(texts, sources.map((_, i) => (i % 2 ? `v${i}` : `d${i}`)));
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test("missingDisplays: a cell holding fewer display outputs than the kernel made is named", () => {
  assertEquals(
    missingDisplays([
      { cell: 1, displays_made: 2, display_outputs: 2, late_outputs: 1 },
      { cell: 3, displays_made: 3, display_outputs: 2, late_outputs: 0 },
      { cell: 4, displays_made: 0, display_outputs: 1, late_outputs: 0 }, // a raw Deno.jupyter.display
    ]),
    [3],
  );
});

Deno.test("declaredFigures: a malformed list is an error naming the field", () => {
  assertEquals(declaredFigures({ metadata: {} }, "a.ipynb"), []);
  assertThrows(
    () => declaredFigures({ metadata: { harnesslab: { figures: "x" } } }, "a.ipynb"),
    LabError,
    "metadata.harnesslab.figures",
  );
});
