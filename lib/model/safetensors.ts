/**
 * safetensors (Hugging Face's tensor file format) for float32 state dicts.
 *
 * Layout, as the spec (huggingface/safetensors README, "Format"):
 *  - 8 bytes: N, a little-endian u64, the size of the header;
 *  - N bytes: a UTF-8 JSON object `{name: {dtype, shape, data_offsets: [begin, end]},
 *    "__metadata__": {string: string}}`, starting with `{` and padded with spaces
 *    (0x20) so that the byte buffer starts at a multiple of 8;
 *  - the byte buffer: each tensor's little-endian, row-major bytes at
 *    [begin, end) relative to the start of the buffer; tensors are contiguous,
 *    do not overlap and cover the whole buffer.
 * Departures: only dtype F32 is read or written (the lab trains in float32), and
 * the decoded tensors are ordered by their offset in the buffer (JSON object key
 * order is not reliable: integer-like keys sort first), which is the order
 * `encodeSafetensors` wrote them in. Decoding validates everything and names the
 * file, the tensor and the problem.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
 * const sd = new Map([["w", { shape: [2], data: Float32Array.from([1, -2]) }]]);
 * const bytes = encodeSafetensors(sd, { format: "pt" });
 * const { tensors, metadata } = decodeSafetensors(bytes, "example.safetensors");
 * assertEquals(tensors.get("w"), { shape: [2], data: Float32Array.from([1, -2]) });
 * assertEquals(metadata.format, "pt");
 * ```
 */
import { LabError } from "../core/errors.ts";
import type { StateDict } from "./state_dict.ts";

/** The spec's cap on the header size (the reference implementation rejects larger ones). */
const MAX_HEADER_BYTES = 100_000_000;
/** dtypes the spec defines; any other string is "unknown" rather than "unsupported". */
const SPEC_DTYPES = new Set([
  "BOOL",
  "U8",
  "I8",
  "F8_E5M2",
  "F8_E4M3",
  "I16",
  "U16",
  "F16",
  "BF16",
  "I32",
  "U32",
  "F32",
  "F64",
  "I64",
  "U64",
]);

// Float32Array views use the host's byte order; the format is little-endian.
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f;

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Serialise tensors (in Map order) with optional string metadata to the bytes
 * of a safetensors file. Throws if a tensor's data does not match its shape.
 */
export function encodeSafetensors(sd: StateDict, metadata?: Record<string, string>): Uint8Array {
  if (!HOST_IS_LITTLE_ENDIAN) throw new Error("encodeSafetensors: big-endian hosts are not supported");
  const header: Record<string, unknown> = {};
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") {
        throw new Error(`encodeSafetensors: metadata '${k}' must be a string, got ${JSON.stringify(v)}`);
      }
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const [name, t] of sd) {
    if (name === "__metadata__") throw new Error("encodeSafetensors: '__metadata__' is not a tensor name");
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(`encodeSafetensors: '${name}' has a bad shape [${t.shape}]`);
    }
    const n = count(t.shape);
    if (!(t.data instanceof Float32Array) || n !== t.data.length) {
      throw new Error(`encodeSafetensors: '${name}' has ${t.data.length} values for shape [${t.shape}]`);
    }
    header[name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + 4 * n] };
    offset += 4 * n;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = Math.ceil(json.length / 8) * 8; // pad in bytes, not UTF-16 units
  const out = new Uint8Array(8 + headerLen + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  let at = 8 + headerLen;
  for (const t of sd.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Parse and validate the bytes of a safetensors file; `where` (usually the
 * path) names it in errors. Every problem is a LabError naming the file, the
 * tensor and what is wrong. The returned tensors own aligned copies of the data.
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  where: string,
): { tensors: StateDict; metadata: Record<string, string> } {
  if (!HOST_IS_LITTLE_ENDIAN) throw new Error("decodeSafetensors: big-endian hosts are not supported");
  const fix = "the file is damaged or not a float32 safetensors file; re-save it (or delete it and retrain)";
  const fail = (what: string): never => {
    throw new LabError(`${where}: ${what}`, fix);
  };
  if (bytes.length < 8) fail(`truncated file (${bytes.length} bytes; the 8-byte header length is missing)`);
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n64 > BigInt(bytes.length - 8)) {
    fail(`header length ${n64} runs past the end of the ${bytes.length}-byte file (truncated file?)`);
  }
  const n = Number(n64);
  if (n > MAX_HEADER_BYTES) fail(`header length ${n} exceeds the format's limit of ${MAX_HEADER_BYTES}`);
  if (n < 2 || bytes[8] !== 0x7b) fail("header does not start with '{' (not a safetensors file?)");

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(header)) return fail("header is not a JSON object");

  const metadata: Record<string, string> = {};
  if ("__metadata__" in header) {
    const m = header.__metadata__;
    if (!isPlainObject(m)) fail(`__metadata__ must be an object of strings, got ${JSON.stringify(m)}`);
    for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
      if (typeof v !== "string") fail(`__metadata__ '${k}' must be a string, got ${JSON.stringify(v)}`);
      metadata[k] = v as string;
    }
  }

  const bufStart = 8 + n, bufLen = bytes.length - bufStart;
  const spans: { begin: number; end: number; name: string; shape: number[] }[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const t = `tensor '${name}'`;
    if (!isPlainObject(info)) return fail(`${t} has no {dtype, shape, data_offsets} entry`);
    const { dtype, shape, data_offsets: offs } = info;
    if (dtype !== "F32") {
      fail(
        SPEC_DTYPES.has(dtype as string)
          ? `${t} has dtype ${dtype}, which is not supported: only F32 is (save in float32)`
          : `${t} has unknown dtype ${JSON.stringify(dtype)}; only F32 is supported`,
      );
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      return fail(`${t} has a bad shape ${JSON.stringify(shape)} (want non-negative integers)`);
    }
    if (
      !Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => Number.isSafeInteger(d) && d >= 0) ||
      offs[1] < offs[0]
    ) {
      return fail(`${t} has bad data_offsets ${JSON.stringify(offs)} (want [begin, end], begin <= end)`);
    }
    const [begin, end] = offs as [number, number];
    if (end - begin !== 4 * count(shape)) {
      fail(
        `${t} spans ${end - begin} bytes [${begin}, ${end}) but F32 shape [${shape}] needs ${
          4 * count(shape)
        }`,
      );
    }
    if (end > bufLen) fail(`${t} ends at byte ${end}, past the ${bufLen}-byte data buffer (truncated file?)`);
    spans.push({ begin, end, name, shape });
  }

  spans.sort((a, b) => a.begin - b.begin || a.end - b.end); // stable: ties keep header order
  let covered = 0;
  for (const s of spans) {
    if (s.begin < covered) {
      fail(
        `tensor '${s.name}' [${s.begin}, ${s.end}) overlaps the bytes of another tensor (up to ${covered})`,
      );
    }
    if (s.begin > covered) fail(`a gap of ${s.begin - covered} unused bytes precedes tensor '${s.name}'`);
    covered = s.end;
  }
  if (covered !== bufLen) fail(`${bufLen - covered} trailing bytes after the last tensor`);

  const tensors: StateDict = new Map();
  for (const s of spans) {
    // Copy into a fresh (4-byte aligned) buffer: the tensor's offset in `bytes` may be unaligned.
    const data = new Float32Array((s.end - s.begin) / 4);
    new Uint8Array(data.buffer).set(bytes.subarray(bufStart + s.begin, bufStart + s.end));
    tensors.set(s.name, { shape: s.shape, data });
  }
  return { tensors, metadata };
}
