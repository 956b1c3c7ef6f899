/**
 * harnesslab CLI: `deno task lab <command> [flags]`.
 * Bad input prints one clear error (what was wrong, what to do) and exits 1;
 * nothing half-written is left behind (runs and checkpoints are written atomically).
 */
import { RUN_USAGE, runCommand } from "./run.ts";
import { SWEEP_FLAGS, SWEEP_STATUS_USAGE, SWEEP_USAGE, sweepCommand, sweepMain } from "./sweep.ts";
import { exitCodeOf, LabError } from "../core/errors.ts";
import { parseFlags } from "./args.ts";
import { evalCommand, logitsCommand, sampleCommand, trainCommand } from "./commands.ts";
import { HARNESS_USAGE, harnessCommand } from "./harness_command.ts";
import { RUNS_USAGE, runsCommand } from "./runs/mod.ts";

const COMMANDS: Record<
  string,
  {
    usage: string;
    spec: Parameters<typeof parseFlags>[2];
    run: (f: Record<string, string | boolean | undefined>) => Promise<void>;
  }
> = {
  train: {
    usage: "train --config FILE [--runs DIR]",
    spec: { string: ["config", "runs"], required: ["config"] },
    run: trainCommand,
  },
  eval: {
    usage: "eval --model DIR --set NAME [--per-level N] [--json]",
    spec: { string: ["model", "set", "per-level"], boolean: ["json"], required: ["model", "set"] },
    run: evalCommand,
  },
  sample: {
    usage: "sample --model DIR --prompt TEXT [--n N] [--temperature T] [--top-k K] [--seed S] [--max-new N]",
    spec: {
      string: ["model", "prompt", "n", "temperature", "top-k", "seed", "max-new"],
      required: ["model", "prompt"],
    },
    run: sampleCommand,
  },
  harness: {
    usage: HARNESS_USAGE,
    spec: {
      string: [
        "model",
        "harness",
        "set",
        "mode",
        "show",
        "per-level",
        "segment-length",
        "retrieval",
        "bank",
        "seed",
      ],
      required: ["model", "harness", "set"],
    },
    run: harnessCommand,
  },
  logits: {
    usage: "logits --model DIR --tokens 1,2,3",
    spec: { string: ["model", "tokens"], required: ["model", "tokens"] },
    run: logitsCommand,
  },
  run: {
    usage: RUN_USAGE,
    spec: { string: ["trainer", "config", "runs"], required: ["trainer", "config"] },
    run: runCommand,
  },
  sweep: { usage: `${SWEEP_USAGE}\n  ${SWEEP_STATUS_USAGE}`, spec: SWEEP_FLAGS, run: sweepCommand },
};

function help(): string {
  const usages = [...Object.values(COMMANDS).map((c) => c.usage), ...RUNS_USAGE];
  return ["usage: deno task lab <command> [flags]", ...usages.map((u) => `  ${u}`)].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help") {
    console.log(help());
    return name ? 0 : 1;
  }
  if (name === "sweep" && rest[0] === "status") return await exitCodeOf(() => sweepMain(rest).then(() => 0));
  const cmd = COMMANDS[name];
  return await exitCodeOf(async () => {
    if (name === "runs") await runsCommand(rest); // subcommands: lib/cli/runs/mod.ts
    else if (!cmd) throw new LabError(`unknown command '${name}'`, help());
    else await cmd.run(parseFlags(name, rest, cmd.spec, cmd.usage));
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
