/**
 * Validation shared by the trainers that continue from an SFT start (GRPO,
 * distillation): the levels they train and measure on must be distinct,
 * belong to the start's task and fit the start model's context.
 *
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { makeTask, TaskSettingsSchema } from "../tasks/task.ts";
 * import { levelIssues } from "./level_issues.ts";
 * const task = makeTask(TaskSettingsSchema.parse({ family: "arithmetic" }));
 * assertEquals(levelIssues([1, 1], task, 72).map((i) => i.message), ["level 1 is listed twice"]);
 * ```
 */
import type { Task } from "../tasks/task.ts";

export interface LevelIssue {
  path: (string | number)[];
  message: string;
}

/** The problems with `levels` for a run from a start model on `task` with context `block` (none: []). */
export function levelIssues(levels: readonly number[], task: Task, block: number): LevelIssue[] {
  const out: LevelIssue[] = [];
  const issue = (message: string) => out.push({ path: ["levels"], message });
  const seen = new Set<number>();
  for (const l of levels) {
    if (seen.has(l)) {
      issue(`level ${l} is listed twice`);
      continue;
    }
    seen.add(l);
    if (!task.levels.includes(l)) {
      issue(`level ${l} is not a ${task.family} level (${task.levels[0]}..${task.levels.at(-1)})`);
    } else if (task.sequenceLength(l) - 1 > block) {
      issue(
        `level ${l} needs ${task.sequenceLength(l)} tokens but the start model's block_size is ${block}; ` +
          "drop the level or raise start.model.block_size",
      );
    }
  }
  return out;
}
