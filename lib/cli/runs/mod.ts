/**
 * `deno task lab runs <ls|export|import|gc>`: the run store as something to
 * look at and to share. A collaborator who imports an export re-executes the
 * notebooks from the cache, without training.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { RUNS_USAGE } from "./mod.ts";
 * assertEquals(RUNS_USAGE.length, 4);
 * ```
 */
import { LabError } from "../../core/errors.ts";
import { type Flags, type FlagSpec, parseCommandLine } from "../args.ts";
import { exportCommand } from "./export.ts";
import { gcCommand } from "./gc.ts";
import { importCommand } from "./import.ts";
import { lsCommand } from "./ls.ts";

const SUBCOMMANDS: Record<
  string,
  { usage: string; spec: FlagSpec; run: (pos: string[], f: Flags, usage: string) => Promise<void> }
> = {
  ls: {
    usage: "runs ls [--runs DIR] [--kind KIND] [--json]",
    spec: { string: ["runs", "kind"], boolean: ["json"] },
    run: (_, f) => lsCommand(f),
  },
  export: {
    usage: "runs export NOTEBOOK... --out FILE [--runs DIR]",
    spec: { string: ["out", "runs"], required: ["out"], positionals: true },
    run: exportCommand,
  },
  import: {
    usage: "runs import FILE [--runs DIR]",
    spec: { string: ["runs"], positionals: true },
    run: importCommand,
  },
  gc: {
    usage: "runs gc [--runs DIR] [--dry-run] [--corrupt]",
    spec: { string: ["runs"], boolean: ["dry-run", "corrupt"] },
    run: (_, f) => gcCommand(f),
  },
};

/** One usage line per subcommand. */
export const RUNS_USAGE: string[] = Object.values(SUBCOMMANDS).map((s) => s.usage);

/** Run `runs SUBCOMMAND ...`; a LabError for an unknown subcommand or bad flags. */
export async function runsCommand(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const sub = name === undefined ? undefined : SUBCOMMANDS[name];
  if (!sub) {
    throw new LabError(
      name === undefined ? "runs: name a subcommand" : `runs: unknown subcommand '${name}'`,
      `use one of:\n  ${RUNS_USAGE.join("\n  ")}`,
    );
  }
  const { flags, positionals } = parseCommandLine(`runs ${name}`, rest, sub.spec, sub.usage);
  await sub.run(positionals, flags, sub.usage);
}
