/**
 * Run archives: run-cache entries packed to share with a collaborator, who
 * imports them (run_import.ts) and re-executes the notebooks without training.
 *
 * Format: a gzipped POSIX tar (tar.ts), so `tar tzf FILE` lists it, holding
 *   harnesslab-runs.json     the index, first: format, version, when, the
 *                            notebooks and the runs each used, every entry
 *                            (kind, key) and the SHA-256 of every other member
 *   KIND/KEY/...             each entry's files as in the store, manifest.json included
 * Reading verifies everything before anything is written: each member against
 * the index, each entry against its own manifest (every listed file present
 * with its checksum, nothing unlisted), and the manifest's key against the
 * SHA-256 of the entry's kind, version and config.json (so a config cannot be
 * swapped under a key). Any failure is a LabError naming the entry.
 *
 * Departs from a signed archive: the checks catch damage and edits of a
 * member, but someone who rewrites a result and every checksum above it
 * consistently is not caught (the key covers the config, not the result).
 * Archives are read whole into memory (tiny models: megabytes).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ARCHIVE_INDEX, packRuns, readRunArchive } from "./run_archive.ts";
 * const root = await Deno.makeTempDir();
 * const bytes = await packRuns(root, [], []);
 * assertEquals((await readRunArchive(bytes, "empty.tar.gz")).entries, []);
 * assertEquals(ARCHIVE_INDEX, "harnesslab-runs.json");
 * await Deno.remove(root, { recursive: true });
 * ```
 */
import { canonicalJson, sha256Hex } from "./hash.ts";
import { LabError } from "./errors.ts";
import { runKey } from "./run_cache.ts";
import { cacheRoot, checkEntry, type Manifest } from "./run_entry.ts";
import { gunzip, gzip, packTar, type TarMember, unpackTar } from "./tar.ts";

/** The index member's name (the archive's first member). */
export const ARCHIVE_INDEX = "harnesslab-runs.json";
const FORMAT = "harnesslab-runs";
const VERSION = 1;

/** An entry by kind and short key (16 hex digits). */
export interface EntryId {
  kind: string;
  key: string;
}

/** A notebook and the entries it used ("KIND/KEY"). */
export interface ArchivedNotebook {
  name: string;
  runs: string[];
}

/** harnesslab-runs.json. */
export interface ArchiveIndex {
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  notebooks: ArchivedNotebook[];
  entries: EntryId[];
  /** Every other member's path and SHA-256. */
  files: Record<string, string>;
}

/** A verified entry, ready to write: its manifest and its files (relative path to bytes, manifest included). */
export interface ArchivedEntry extends EntryId {
  manifest: Manifest;
  files: Map<string, Uint8Array>;
}

const entryName = (e: EntryId) => `${e.kind}/${e.key}`;

/**
 * Pack the entries `ids` of the store at `root` (each must be complete and
 * intact) into a gzipped archive; `notebooks` are recorded in the index.
 */
export async function packRuns(
  root: string | undefined,
  ids: readonly EntryId[],
  notebooks: readonly ArchivedNotebook[],
): Promise<Uint8Array> {
  const base = cacheRoot(root);
  const members: TarMember[] = [];
  const files: Record<string, string> = {};
  for (const id of ids) {
    const dir = `${base}/${id.kind}/${id.key}`;
    const check = await checkEntry(dir);
    if (!check?.ok) {
      throw new LabError(
        `run ${entryName(id)} is ${check ? `unusable (${check.why})` : "not"} in the run store ${base}`,
        "re-execute the notebooks that use it against this store, or pass the store they ran with (--runs DIR)",
      );
    }
    const mtime = Date.parse(check.manifest.createdAt) / 1000 || 0;
    for (const rel of [...Object.keys(check.manifest.files).sort(), "manifest.json"]) {
      const data = await Deno.readFile(`${dir}/${rel}`);
      const path = `${entryName(id)}/${rel}`;
      files[path] = await sha256Hex(data);
      members.push({ path, data, mtime });
    }
  }
  const index: ArchiveIndex = {
    format: FORMAT,
    version: VERSION,
    createdAt: new Date().toISOString(),
    notebooks: [...notebooks],
    entries: ids.map((e) => ({ kind: e.kind, key: e.key })),
    files,
  };
  const head = {
    path: ARCHIVE_INDEX,
    data: new TextEncoder().encode(JSON.stringify(index, null, 2) + "\n"),
    mtime: Date.parse(index.createdAt) / 1000,
  };
  return await gzip(packTar([head, ...members]));
}

function notAnArchive(name: string, why: string): LabError {
  return new LabError(
    `${name} is not a harnesslab run archive (${why})`,
    "pass a file written by `deno task lab runs export`; nothing was imported",
  );
}

function parseIndex(member: TarMember | undefined, name: string): ArchiveIndex {
  if (member?.path !== ARCHIVE_INDEX) throw notAnArchive(name, `its first member is not ${ARCHIVE_INDEX}`);
  let index: ArchiveIndex;
  try {
    index = JSON.parse(new TextDecoder().decode(member.data));
  } catch {
    throw notAnArchive(name, `${ARCHIVE_INDEX} is not JSON`);
  }
  if (index?.format !== FORMAT) throw notAnArchive(name, `${ARCHIVE_INDEX} has format '${index?.format}'`);
  if (index.version !== VERSION) {
    throw new LabError(
      `${name} is a run archive of version ${index.version}; this lab reads version ${VERSION}`,
      "update the lab (git pull), or ask for an export from this version",
    );
  }
  const okId = (e: EntryId) => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(e?.kind) && /^[0-9a-f]{16}$/.test(e?.key);
  if (!Array.isArray(index.entries) || !index.entries.every(okId) || typeof index.files !== "object") {
    throw notAnArchive(name, `${ARCHIVE_INDEX} lacks a valid entry list or file list`);
  }
  return index;
}

/** Check one entry's files against its manifest and its key; returns why not, or null. */
async function entryProblem(id: EntryId, files: Map<string, Uint8Array>): Promise<string | null> {
  const text = (rel: string) => new TextDecoder().decode(files.get(rel));
  let manifest: Manifest, config: unknown;
  try {
    manifest = JSON.parse(text("manifest.json"));
  } catch {
    return files.has("manifest.json") ? "manifest.json is not valid JSON" : "manifest.json is missing";
  }
  if (manifest?.kind !== id.kind || manifest.key?.slice(0, 16) !== id.key) {
    return `manifest.json is for ${manifest?.kind}/${String(manifest?.key).slice(0, 16)}`;
  }
  const listed = Object.keys(manifest.files ?? {});
  for (const rel of listed) {
    const data = files.get(rel);
    if (!data) return `${rel} is missing`;
    if ((await sha256Hex(data)) !== manifest.files[rel]) return `${rel} does not match its checksum`;
  }
  const extra = [...files.keys()].filter((rel) => rel !== "manifest.json" && !(rel in manifest.files));
  if (extra.length) return `${extra.join(", ")} not listed in its manifest`;
  try {
    config = JSON.parse(text("config.json"));
    JSON.parse(text("result.json"));
  } catch {
    return "config.json or result.json is missing or not valid JSON";
  }
  if ((await sha256Hex(canonicalJson(config))) !== manifest.configSha256) {
    return "config.json does not match the manifest's configSha256";
  }
  const key = await runKey({ kind: manifest.kind, version: manifest.version, config });
  if (key !== manifest.key) {
    return `its key is not the hash of its kind, version and config (${key.slice(0, 16)})`;
  }
  return null;
}

/** Read and verify an archive (see the module doc); `name` is used in errors. */
export async function readRunArchive(
  bytes: Uint8Array,
  name: string,
): Promise<{ index: ArchiveIndex; entries: ArchivedEntry[] }> {
  let members: TarMember[];
  try {
    members = unpackTar(await gunzip(bytes));
  } catch (e) {
    throw notAnArchive(name, (e as Error).message);
  }
  const index = parseIndex(members[0], name);
  const damaged = (id: EntryId, why: string) =>
    new LabError(
      `${name}: entry ${entryName(id)} is damaged or was altered (${why})`,
      "nothing was imported; ask for a fresh `runs export` of the notebooks",
    );
  const byEntry = new Map(index.entries.map((e) => [entryName(e), new Map<string, Uint8Array>()]));
  const seen = new Set<string>();
  for (const m of members.slice(1)) {
    const [kind, key] = m.path.split("/");
    const files = byEntry.get(`${kind}/${key}`);
    const rel = m.path.split("/").slice(2).join("/");
    if (!files || !rel) throw notAnArchive(name, `member ${m.path} belongs to no listed entry`);
    if (seen.has(m.path)) throw damaged({ kind, key }, `${rel} appears twice`);
    seen.add(m.path);
    if (index.files[m.path] === undefined) throw damaged({ kind, key }, `${rel} is not in the archive index`);
    if ((await sha256Hex(m.data)) !== index.files[m.path]) {
      throw damaged({ kind, key }, `${rel} does not match its checksum`);
    }
    files.set(rel, m.data);
  }
  const entries: ArchivedEntry[] = [];
  for (const id of index.entries) {
    const files = byEntry.get(entryName(id))!;
    const lost = Object.keys(index.files).filter((p) => p.startsWith(`${entryName(id)}/`) && !seen.has(p));
    if (lost.length) throw damaged(id, `${lost.join(", ")} listed in the index but not in the archive`);
    const why = await entryProblem(id, files);
    if (why) throw damaged(id, why);
    entries.push({
      ...id,
      manifest: JSON.parse(new TextDecoder().decode(files.get("manifest.json"))),
      files,
    });
  }
  return { index, entries };
}
