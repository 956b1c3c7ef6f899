/**
 * Format retention on the precedent family (lib/harness/retention.ts), cached
 * per trained run ("precedent_retention", keyed by the run's key and the
 * probes): exact match of a model's greedy completion on gold probes of each
 * draft-verify format, drawn from worlds no training run saw. `draft` and
 * `verify` ask whether a trained model can still make draft-verify's two
 * calls (write a draft from precedents; keep or revise a draft given
 * confirmers and challengers); on the start model, `answer`, `answer_like`
 * and `trace` are the teacher check (does the teacher read the contexts it
 * is handed: the true label, draft and final, the full trace).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { PRECEDENT_RETENTION_VERSION } from "./precedent_retention.ts";
 * assertEquals(PRECEDENT_RETENTION_VERSION, "precedent-retention-1");
 * ```
 */
import { type CachedRun, cachedRun } from "../../../core/run_cache.ts";
import { selectBackend } from "../../../core/backend.ts";
import { loadModelDir } from "../../../model/checkpoint.ts";
import { Gpt } from "../../../model/gpt.ts";
import { makeTask } from "../../../tasks/task.ts";
import { FormatOptionsSchema } from "../../../harness/formats.ts";
import { formatRetention, type RetentionRow } from "../../../harness/retention.ts";
import { baseSftConfig, parseReattachmentParams, type ReattachmentParams } from "../params.ts";
import type { MethodRun } from "./runs.ts";
import type { PrecedentDistillParams } from "./precedent.ts";

/** Bump when the probes or their scoring change for the same config. */
export const PRECEDENT_RETENTION_VERSION = "precedent-retention-1";

/** Retention rows of one model on the precedent probes (`pp.retention_formats` at the training levels). */
export async function precedentRetention(
  params: ReattachmentParams,
  pp: PrecedentDistillParams,
  run: MethodRun,
  opts: { root?: string } = {},
): Promise<CachedRun<RetentionRow[]>> {
  const p = parseReattachmentParams(params);
  const levels = pp.common.levels as number[];
  if (!Array.isArray(levels) || levels.length === 0) {
    throw new Error(
      "precedentRetention: pp.common.levels must list the training levels (the probes' levels)",
    );
  }
  const config = { run_key: run.key, n: pp.retention_n, levels, formats: pp.retention_formats };
  return await cachedRun<RetentionRow[]>(
    { kind: "precedent_retention", version: PRECEDENT_RETENTION_VERSION, config, root: opts.root },
    async () => {
      const sft = baseSftConfig(p, "precedent");
      await selectBackend({ quiet: true });
      const { config: mc, stateDict } = await loadModelDir(run.modelDir);
      const model = Gpt.fromStateDict(mc, stateDict);
      try {
        return formatRetention(model, makeTask(sft.task), FormatOptionsSchema.parse(sft.formats ?? {}), {
          n: pp.retention_n,
          levels,
          formats: pp.retention_formats,
        });
      } finally {
        model.dispose();
      }
    },
  );
}
