/**
 * `runs ls`: the entries of a run store, one line each: kind, key, when it
 * was created, its size on disk and a summary of its config (the knobs a
 * reader tells runs apart by). Entries that fail their check are listed with
 * what is wrong.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { configSummary, formatBytes } from "./ls.ts";
 * assertEquals(configSummary({ seed: 1, steps: 40, model: { n_layer: 1, n_embd: 32 } }), "seed=1 steps=40 n_layer=1 n_embd=32");
 * assertEquals(formatBytes(1536), "1.5 KB");
 * ```
 */
import { listRuns, type RunEntry } from "../../core/run_cache.ts";
import { cacheRoot } from "../../core/run_entry.ts";
import type { Flags } from "../args.ts";

/** Config fields shown by `runs ls`, in this order, when present (dotted paths into the config). */
const SUMMARY_FIELDS = [
  "seed",
  "steps",
  "lr",
  "batch_size",
  "model.n_layer",
  "model.n_embd",
  "model.position",
  "train_levels",
  "curriculum.kind",
  "kl_coef",
  "levels",
  "start.steps",
];

const SHORT_NAMES: Record<string, string> = { "curriculum.kind": "curriculum", "start.steps": "start_steps" };

/** "seed=0 steps=40 ..." from the fields of SUMMARY_FIELDS the config has, cut to `max` characters. */
export function configSummary(config: unknown, max = 72): string {
  const parts: string[] = [];
  for (const path of SUMMARY_FIELDS) {
    let v: unknown = config;
    for (const k of path.split(".")) v = (v as Record<string, unknown> | undefined)?.[k];
    if (v === undefined || v === null || typeof v === "object" && !Array.isArray(v)) continue;
    const name = SHORT_NAMES[path] ?? path.split(".").at(-1);
    parts.push(`${name}=${Array.isArray(v) ? v.join(",") : String(v)}`);
  }
  const s = parts.join(" ");
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** "512 B", "1.5 KB", "3.2 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB"];
  let v = n / 1024, i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** Bytes of every file under `dir`. */
export async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    total += e.isDirectory ? await dirSize(p) : (await Deno.stat(p)).size;
  }
  return total;
}

/** The lines `runs ls` prints for `entries` (sizes in bytes, parallel to entries). */
export function lsTable(entries: readonly RunEntry[], sizes: readonly number[]): string[] {
  const rows = entries.map((e, i) => [
    e.kind,
    e.key,
    e.manifest?.createdAt ? e.manifest.createdAt.slice(0, 16).replace("T", " ") : "-",
    formatBytes(sizes[i]),
    e.status === "ok" ? configSummary(e.config) : `${e.status.toUpperCase()}: ${e.why}`,
  ]);
  const head = ["kind", "key", "created (UTC)", "size", "config"];
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((x, c) => c === 4 ? x : c === 3 ? x.padStart(width[c]) : x.padEnd(width[c])).join("  ");
  return [line(head), ...rows.map(line)];
}

export async function lsCommand(f: Flags): Promise<void> {
  const root = cacheRoot(f.runs as string | undefined);
  const entries = await listRuns(root, f.kind as string | undefined);
  const sizes = await Promise.all(entries.map((e) => dirSize(e.dir)));
  if (f.json) {
    console.log(JSON.stringify(entries.map((e, i) => ({
      kind: e.kind,
      key: e.key,
      status: e.status,
      createdAt: e.manifest?.createdAt,
      bytes: sizes[i],
      config: e.config,
      ...(e.why ? { why: e.why } : {}),
    }))));
    return;
  }
  if (!entries.length) {
    console.log(`no runs in ${root}`);
    return;
  }
  for (const l of lsTable(entries, sizes)) console.log(l);
  const bad = entries.filter((e) => e.status !== "ok").length;
  const total = formatBytes(sizes.reduce((a, b) => a + b, 0));
  console.log(
    `${entries.length} entries (${total}) in ${root}${
      bad ? `; ${bad} unusable: 'runs gc --corrupt' removes them` : ""
    }`,
  );
}
