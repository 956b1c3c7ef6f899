/**
 * A minimal POSIX tar (ustar) writer and reader for plain files, plus gzip
 * through the web-standard CompressionStream: enough for run archives
 * (run_archive.ts) that any `tar tzf` can list, with no dependency (Deno's
 * std tar lives on JSR, which these machines cannot reach).
 *
 * Departs from a full tar: regular files only. The reader skips directory
 * members and refuses links, devices, pax and GNU long-name members and any
 * path that is absolute or climbs out ("..") with an Error saying which
 * member; the writer stores mode 0644, uid/gid 0 and the given mtime.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { packTar, unpackTar } from "./tar.ts";
 * const tar = packTar([{ path: "a/b.txt", data: new TextEncoder().encode("hi") }]);
 * assertEquals(tar.length, 512 + 512 + 1024); // header, one data block, two zero blocks
 * assertEquals(new TextDecoder().decode(unpackTar(tar)[0].data), "hi");
 * ```
 */

/** One file in an archive. */
export interface TarMember {
  /** Relative path with "/" separators. */
  path: string;
  data: Uint8Array;
  /** Modification time, seconds since the epoch (default 0). */
  mtime?: number;
}

const BLOCK = 512;
const enc = new TextEncoder();
const dec = new TextDecoder();

function writeString(h: Uint8Array, off: number, len: number, s: string): void {
  const b = enc.encode(s);
  if (b.length > len) throw new Error(`tar: '${s}' does not fit in ${len} bytes`);
  h.set(b, off);
}

function writeOctal(h: Uint8Array, off: number, len: number, n: number): void {
  writeString(h, off, len, n.toString(8).padStart(len - 1, "0") + "\0");
}

/** Split a path into ustar's prefix (<= 155 bytes) and name (<= 100 bytes). */
function splitPath(path: string): [string, string] {
  if (enc.encode(path).length <= 100) return ["", path];
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
    const prefix = path.slice(0, i), name = path.slice(i + 1);
    if (enc.encode(prefix).length <= 155 && enc.encode(name).length <= 100) return [prefix, name];
  }
  throw new Error(`tar: path too long for ustar: ${path}`);
}

/** Check a member path: relative, "/"-separated, no empty, "." or ".." segment. */
export function checkMemberPath(path: string): void {
  const segments = path.split("/");
  if (
    path.startsWith("/") || path.includes("\\") || segments.some((s) => s === "" || s === "." || s === "..")
  ) {
    throw new Error(`tar: member path '${path}' is absolute, empty or climbs out of the archive`);
  }
}

function header(m: TarMember): Uint8Array {
  checkMemberPath(m.path);
  const h = new Uint8Array(BLOCK);
  const [prefix, name] = splitPath(m.path);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, 0o644);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, m.data.length);
  writeOctal(h, 136, 12, Math.max(0, Math.floor(m.mtime ?? 0)));
  h.fill(0x20, 148, 156); // the checksum field counts as spaces
  h[156] = 0x30; // '0': regular file
  writeString(h, 257, 6, "ustar\0");
  writeString(h, 263, 2, "00");
  writeString(h, 345, 155, prefix);
  const sum = h.reduce((a, b) => a + b, 0);
  writeString(h, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

/** A tar archive of `members`, in order. */
export function packTar(members: readonly TarMember[]): Uint8Array {
  const size = members.reduce((a, m) => a + BLOCK + Math.ceil(m.data.length / BLOCK) * BLOCK, 2 * BLOCK);
  const out = new Uint8Array(size);
  let off = 0;
  for (const m of members) {
    out.set(header(m), off);
    out.set(m.data, off + BLOCK);
    off += BLOCK + Math.ceil(m.data.length / BLOCK) * BLOCK;
  }
  return out; // the last two blocks stay zero: the end-of-archive marker
}

function readString(b: Uint8Array, off: number, len: number): string {
  const field = b.subarray(off, off + len);
  const end = field.indexOf(0);
  return dec.decode(end < 0 ? field : field.subarray(0, end));
}

function readOctal(b: Uint8Array, off: number, len: number, what: string): number {
  const s = readString(b, off, len).trim();
  if (!/^[0-7]+$/.test(s)) throw new Error(`tar: bad ${what} field '${s}'`);
  return parseInt(s, 8);
}

/** The files of a tar archive, in order (directories skipped); Error on anything else or a bad header. */
export function unpackTar(bytes: Uint8Array): TarMember[] {
  const out: TarMember[] = [];
  for (let off = 0;;) {
    if (off + BLOCK > bytes.length) throw new Error("tar: archive ends without its end-of-archive blocks");
    const h = bytes.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) return out;
    const magic = readString(h, 257, 6);
    if (magic !== "ustar" && magic !== "ustar ") {
      throw new Error(`tar: block at byte ${off} is not a ustar header`);
    }
    const stored = readOctal(h, 148, 8, "checksum");
    const sum = h.reduce((a, b, i) => a + (i >= 148 && i < 156 ? 0x20 : b), 0);
    if (stored !== sum) throw new Error(`tar: header at byte ${off} fails its checksum`);
    const prefix = readString(h, 345, 155), name = readString(h, 0, 100);
    const path = prefix ? `${prefix}/${name}` : name;
    const size = readOctal(h, 124, 12, "size");
    const type = String.fromCharCode(h[156] || 0x30);
    const start = off + BLOCK;
    off = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "5") continue; // a directory: its files come as their own members
    if (type !== "0" && type !== "7") {
      throw new Error(`tar: member '${path}' is not a plain file (type '${type}')`);
    }
    checkMemberPath(path);
    if (start + size > bytes.length) throw new Error(`tar: member '${path}' is cut short`);
    out.push({ path, data: bytes.slice(start, start + size), mtime: readOctal(h, 136, 12, "mtime") });
  }
}

/** gzip `bytes`. */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** gunzip `bytes`; rejects when they are not (complete) gzip data. */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
