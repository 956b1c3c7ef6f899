/**
 * The CLI's commands: train (SFT through the run cache), eval (per-level
 * exact match on a frozen set), sample, logits (log-probs of every vocabulary
 * token at every position, as JSON [T][V]), datasets (regenerate/verify the
 * frozen eval sets). Each prints to stdout and returns normally, or throws a
 * LabError for bad input.
 */
import { LabError } from "../core/errors.ts";
import { loadConfigFile } from "../core/config.ts";
import { selectBackend } from "../core/backend.ts";
import { terminalProgress } from "../core/progress.ts";
import { Rng } from "../core/rng.ts";
import { loadModelDir } from "../model/checkpoint.ts";
import { Gpt } from "../model/gpt.ts";
import { generate } from "../sample/generate.ts";
import { runSft, SftConfigSchema } from "../train/sft.ts";
import { evaluateExamples, firstPerLevel, scoreByLevel } from "../train/evaluate.ts";
import { makeTask } from "../tasks/task.ts";
import { decode, encode, EOS_ID } from "../tasks/tokenizer.ts";
import { loadEvalSet } from "../tasks/eval_sets.ts";
import { type Flags, numberFlag } from "./args.ts";

async function loadModel(dir: string): Promise<Gpt> {
  await selectBackend({ quiet: true });
  const { config, stateDict } = await loadModelDir(dir);
  return Gpt.fromStateDict(config, stateDict);
}

/** Format per-level scores as an aligned text table. */
export function levelTable(
  scores: { level: number; n: number; accuracy: number; lo: number; hi: number }[],
): string {
  const rows = scores.map((s) =>
    `${String(s.level).padStart(5)}  ${String(s.n).padStart(4)}  ${s.accuracy.toFixed(3)}  [${
      s.lo.toFixed(3)
    }, ${s.hi.toFixed(3)}]`
  );
  return ["level     n  exact  95% CI (Wilson)", ...rows].join("\n");
}

export async function trainCommand(f: Flags): Promise<void> {
  const input = await loadConfigFile(SftConfigSchema, f.config as string);
  const progress = terminalProgress("sft");
  const run = await runSft(input, { progress, root: f.runs as string | undefined });
  const r = run.result;
  console.log(
    `${run.cached ? "cached" : "computed"} run ${run.key} (${r.backend}, ${r.numParams} params, ${
      r.wallSeconds.toFixed(1)
    } s)`,
  );
  if (r.resumedFrom > 0) console.log(`resumed from the checkpoint at step ${r.resumedFrom}`);
  console.log(`model: ${run.dir}/${r.modelDir}`);
  console.log(levelTable(r.final));
}

export async function evalCommand(f: Flags): Promise<void> {
  const model = await loadModel(f.model as string);
  const set = await loadEvalSet(f.set as string);
  const n = numberFlag("eval", "per-level", f["per-level"], 0);
  const task = makeTask(set.settings);
  const examples = n > 0 ? firstPerLevel(set.examples, n) : set.examples;
  const scores = scoreByLevel(evaluateExamples(model, task, examples));
  console.log(f.json ? JSON.stringify(scores) : levelTable(scores));
  model.dispose();
}

export async function sampleCommand(f: Flags): Promise<void> {
  // Flags are checked before the model loads, so a bad value fails at once and names its flag.
  const n = numberFlag("sample", "n", f.n, 1, { integer: true, min: 1 });
  const opts = {
    maxNewTokens: numberFlag("sample", "max-new", f["max-new"], 40, { integer: true, min: 1 }),
    temperature: numberFlag("sample", "temperature", f.temperature, 1, { min: 0, note: "0 is greedy" }),
    topK: numberFlag("sample", "top-k", f["top-k"], 0, {
      integer: true,
      min: 0,
      note: "0 keeps every token",
    }),
    stopTokens: [EOS_ID],
    rng: new Rng(numberFlag("sample", "seed", f.seed, 0, { integer: true })),
  };
  const prompt = f.prompt as string;
  const model = await loadModel(f.model as string);
  const gen = generate(model, Array.from({ length: n }, () => encode(prompt)), opts);
  gen.tokens.forEach((toks, i) => {
    const lp = gen.logProbs[i].reduce((a, b) => a + b, 0);
    console.log(`${prompt}${decode(toks)}\tlogp=${lp.toFixed(3)}`);
  });
  model.dispose();
}

export async function logitsCommand(f: Flags): Promise<void> {
  const model = await loadModel(f.model as string);
  const raw = String(f.tokens);
  const tokens = raw.split(",").map((s, i) => {
    const t = Number(s.trim());
    if (s.trim() === "" || !Number.isInteger(t) || t < 0 || t >= model.config.vocab_size) {
      throw new LabError(
        `logits: token ${i} ('${s}') must be an integer in 0..${model.config.vocab_size - 1}`,
        "pass --tokens as comma-separated ids, e.g. 1,5,7",
      );
    }
    return t;
  });
  if (tokens.length > model.config.block_size) {
    throw new LabError(`logits: ${tokens.length} tokens exceed block_size ${model.config.block_size}`);
  }
  console.log(JSON.stringify(model.logProbs([tokens])[0]));
  model.dispose();
}
