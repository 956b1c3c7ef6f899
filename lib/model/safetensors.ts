/**
 * safetensors (Hugging Face's format) for float32 state dicts.
 * Layout: u64 little-endian header length N; N bytes of UTF-8 JSON
 * {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}},
 * space-padded to a multiple of 8; then the tensor bytes, offsets relative to
 * the start of that buffer, contiguous and covering it. Only F32 is supported
 * (the lab trains in float32). Decoding validates everything and names the
 * file, the tensor and the problem.
 */
import { LabError } from "../core/errors.ts";
import type { StateDict } from "./state_dict.ts";

/** Serialise tensors (in Map order) with optional string metadata. */
export function encodeSafetensors(sd: StateDict, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of sd) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) {
      throw new Error(`encodeSafetensors: '${name}' has ${t.data.length} values for shape [${t.shape}]`);
    }
    header[name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + 4 * n] };
    offset += 4 * n;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const hbytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hbytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(hbytes.length), true);
  out.set(hbytes, 8);
  let at = 8 + hbytes.length;
  for (const t of sd.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** Parse and validate a safetensors file's bytes; `where` names it in errors. */
export function decodeSafetensors(
  bytes: Uint8Array,
  where: string,
): { tensors: StateDict; metadata: Record<string, string> } {
  const fix = "the file is damaged or not a float32 safetensors file; re-save it (or delete it and retrain)";
  if (bytes.length < 8) {
    throw new LabError(`${where}: truncated (${bytes.length} bytes, no header length)`, fix);
  }
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > bytes.length - 8) {
    throw new LabError(
      `${where}: header length ${n} runs past the end of the ${bytes.length}-byte file`,
      fix,
    );
  }
  let header: Record<string, { dtype?: unknown; shape?: unknown; data_offsets?: unknown }>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new LabError(`${where}: header is not valid JSON (${(e as Error).message})`, fix);
  }
  const bufStart = 8 + n, bufLen = bytes.length - bufStart;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const spans: [number, number, string][] = [];
  const tensors: StateDict = new Map();
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    if (info.dtype !== "F32") {
      throw new LabError(
        `${where}: tensor '${name}' has dtype ${JSON.stringify(info.dtype)}; only F32 is supported`,
        fix,
      );
    }
    const shape = info.shape, offs = info.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new LabError(`${where}: tensor '${name}' has a bad shape ${JSON.stringify(shape)}`, fix);
    }
    if (
      !Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => Number.isInteger(d) && d >= 0) ||
      offs[1] < offs[0]
    ) {
      throw new LabError(`${where}: tensor '${name}' has bad data_offsets ${JSON.stringify(offs)}`, fix);
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (offs[1] - offs[0] !== 4 * count) {
      throw new LabError(
        `${where}: tensor '${name}' spans ${offs[1] - offs[0]} bytes but shape [${shape}] needs ${4 * count}`,
        fix,
      );
    }
    if (offs[1] > bufLen) {
      throw new LabError(
        `${where}: tensor '${name}' ends at byte ${offs[1]} past the ${bufLen}-byte buffer (truncated file?)`,
        fix,
      );
    }
    spans.push([offs[0], offs[1], name]);
    const data = new Float32Array(count);
    new Uint8Array(data.buffer).set(bytes.subarray(bufStart + offs[0], bufStart + offs[1]));
    tensors.set(name, { shape: shape as number[], data });
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let end = 0;
  for (const [b, e, name] of spans) {
    if (b < end) throw new LabError(`${where}: tensor '${name}' overlaps the previous tensor's bytes`, fix);
    if (b > end) throw new LabError(`${where}: a gap of ${b - end} bytes precedes tensor '${name}'`, fix);
    end = e;
  }
  if (end !== bufLen) {
    throw new LabError(`${where}: ${bufLen - end} trailing bytes after the last tensor`, fix);
  }
  return { tensors, metadata };
}
