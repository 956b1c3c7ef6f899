/**
 * Frozen evaluation sets in datasets/: NAME.jsonl files generated from the
 * settings recorded in datasets/settings.json, with datasets/checksums.sha256
 * (sha256sum format: `sha256sum -c checksums.sha256` works in datasets/).
 * Regenerating from the settings gives byte-identical files; loading a set
 * verifies its checksum first.
 *
 * Each set's examples come from `Rng(seed).fork("NAME/L<level>")`, ids
 * "NAME-L<level>-<i>", levels in settings order.
 *
 * Overlap with training: training batches are drawn fresh from the same
 * generators, so easy levels (arithmetic level 1 has 300 distinct problems
 * with + - *, 200 with + -; precedent level 1 has 8 prompts) are necessarily
 * seen in training; overlap falls fast with level. `--report` prints it
 * exactly per level (report.ts), with chance levels. Eval sets measure the
 * skill, not memorisation of these lines, from level 4 on.
 *
 *   deno run -A lib/tasks/eval_sets.ts            regenerate sets + checksums
 *   deno run -A lib/tasks/eval_sets.ts --check    verify (exit 1 on any problem)
 *   deno run -A lib/tasks/eval_sets.ts --report [--draws N]   chance and overlap tables
 */
import { z } from "zod";
import { LabError } from "../core/errors.ts";
import { loadConfigFile } from "../core/config.ts";
import { sha256Hex } from "../core/hash.ts";
import { writeFileAtomic } from "../core/atomic.ts";
import { Rng } from "../core/rng.ts";
import { makeTask, type TaskSettings, TaskSettingsSchema } from "./task.ts";
import { type ExampleLine, parseJsonl, toJsonl } from "./dataset.ts";
import { formatSetReport } from "./report.ts";

export const DATASETS_DIR = new URL("../../datasets/", import.meta.url).pathname;

const SetSpecSchema = z.strictObject({
  task: TaskSettingsSchema,
  levels: z.array(z.number().int().min(1)).min(1),
  per_level: z.number().int().min(1),
  seed: z.number().int().min(0),
  description: z.string().optional(),
});
export const EvalSettingsSchema = z.strictObject({
  sets: z.record(z.string().regex(/^[a-z0-9_]+$/), SetSpecSchema),
});
export type SetSpec = z.output<typeof SetSpecSchema>;

export interface EvalSet {
  name: string;
  family: TaskSettings["family"];
  settings: TaskSettings;
  examples: ExampleLine[];
  sha256: string;
}

/** Generate a set's JSONL text from its spec (deterministic). */
export function generateSetText(name: string, spec: SetSpec): string {
  const task = makeTask(spec.task);
  const root = new Rng(spec.seed);
  const examples = spec.levels.flatMap((level) => {
    const rng = root.fork(`${name}/L${level}`);
    return Array.from(
      { length: spec.per_level },
      (_, i) => ({ id: `${name}-L${level}-${i}`, ...task.sample(rng, level) }),
    );
  });
  return toJsonl(examples);
}

async function readSettings(dir: string) {
  return await loadConfigFile(EvalSettingsSchema, `${dir}/settings.json`);
}

async function readChecksums(dir: string): Promise<Map<string, string>> {
  const path = `${dir}/checksums.sha256`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    throw new LabError(
      `missing ${path}`,
      "run `scripts/deno task datasets` to regenerate the eval sets and checksums",
    );
  }
  const m = new Map<string, string>();
  text.split("\n").filter((l) => l.trim()).forEach((line, i) => {
    const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    if (!match) {
      throw new LabError(
        `${path} line ${i + 1}: expected "<sha256>  <file>"`,
        "run `scripts/deno task datasets`",
      );
    }
    m.set(match[2], match[1]);
  });
  return m;
}

/** Regenerate every set and the checksum file. Returns the file names written. */
export async function writeEvalSets(dir = DATASETS_DIR): Promise<string[]> {
  const settings = await readSettings(dir);
  const lines: string[] = [];
  for (const [name, spec] of Object.entries(settings.sets)) {
    const text = generateSetText(name, spec);
    await writeFileAtomic(`${dir}/${name}.jsonl`, text);
    lines.push(`${await sha256Hex(text)}  ${name}.jsonl`);
  }
  await writeFileAtomic(`${dir}/checksums.sha256`, lines.join("\n") + "\n");
  return Object.keys(settings.sets).map((n) => `${n}.jsonl`);
}

/**
 * Check every set: its checksum matches checksums.sha256, every line validates,
 * and regeneration from settings.json is byte-identical. Returns the problems
 * found (empty = all good).
 */
export async function verifyEvalSets(dir = DATASETS_DIR): Promise<string[]> {
  const settings = await readSettings(dir);
  const sums = await readChecksums(dir);
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(settings.sets)) {
    const file = `${name}.jsonl`;
    let text = "";
    try {
      text = await Deno.readTextFile(`${dir}/${file}`);
    } catch {
      problems.push(`${file}: missing`);
      continue;
    }
    const sha = await sha256Hex(text);
    if (sums.get(file) !== sha) {
      problems.push(`${file}: checksum ${sha.slice(0, 12)} does not match checksums.sha256`);
    }
    if (generateSetText(name, spec) !== text) {
      problems.push(`${file}: differs from what settings.json regenerates`);
    }
    try {
      parseJsonl(text, `${dir}/${file}`);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  return problems;
}

/** Load a frozen set by name, verifying its checksum and every line. */
export async function loadEvalSet(name: string, dir = DATASETS_DIR): Promise<EvalSet> {
  const settings = await readSettings(dir);
  const spec = settings.sets[name];
  if (!spec) {
    throw new LabError(`unknown eval set '${name}'`, `use one of: ${Object.keys(settings.sets).join(", ")}`);
  }
  const path = `${dir}/${name}.jsonl`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    throw new LabError(`missing ${path}`, "run `scripts/deno task datasets` to regenerate it");
  }
  const sha = await sha256Hex(text);
  const want = (await readChecksums(dir)).get(`${name}.jsonl`);
  if (want !== sha) {
    throw new LabError(
      `${path} does not match its checksum in checksums.sha256 (file edited or damaged)`,
      "run `scripts/deno task datasets` to regenerate it",
    );
  }
  return {
    name,
    family: spec.task.family,
    settings: spec.task,
    examples: parseJsonl(text, path),
    sha256: sha,
  };
}

/** Chance and overlap tables for every set (see report.ts). */
export async function reportEvalSets(draws: number, dir = DATASETS_DIR): Promise<string> {
  const settings = await readSettings(dir);
  const parts: string[] = [];
  for (const name of Object.keys(settings.sets)) {
    const set = await loadEvalSet(name, dir);
    parts.push(formatSetReport(name, set.settings, set.examples, draws));
  }
  return parts.join("\n\n");
}

if (import.meta.main) {
  const args = Deno.args;
  if (args.includes("--check")) {
    const problems = await verifyEvalSets();
    if (problems.length) {
      console.error(problems.join("\n"));
      Deno.exit(1);
    }
    console.log("eval sets: checksums match, lines validate, and regeneration is byte-identical");
  } else if (args.includes("--report")) {
    const at = args.indexOf("--draws");
    const draws = at >= 0 ? Number(args[at + 1]) : 25_000;
    if (!(draws >= 0)) {
      throw new LabError(`--draws must be a count, got ${args[at + 1]}`, "pass --draws 25000");
    }
    console.log(await reportEvalSets(draws));
  } else {
    console.log(`wrote ${(await writeEvalSets()).join(", ")} and checksums.sha256 in datasets/`);
  }
}
