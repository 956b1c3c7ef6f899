import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
import type { StateDict } from "./state_dict.ts";
import { LabError } from "../core/errors.ts";
import { Rng } from "../core/rng.ts";

function sample(): StateDict {
  const r = new Rng(1);
  return new Map([
    ["a", { shape: [3], data: Float32Array.from([1, 2, 3]) }],
    ["b.w", { shape: [2, 5], data: Float32Array.from({ length: 10 }, () => r.normal()) }],
    ["c", { shape: [7], data: Float32Array.from({ length: 7 }, () => r.normal()) }],
  ]);
}

Deno.test("byte layout of a one-tensor file, by hand", () => {
  const bytes = encodeSafetensors(new Map([["x", { shape: [2], data: Float32Array.from([1, -2]) }]]));
  const header = '{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const padded = header + " ".repeat((8 - (header.length % 8)) % 8); // 56 -> 56
  assertEquals(Number(new DataView(bytes.buffer).getBigUint64(0, true)), padded.length);
  assertEquals(new TextDecoder().decode(bytes.subarray(8, 8 + padded.length)), padded);
  assertEquals([...bytes.subarray(8 + padded.length)], [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]); // 1.0f, -2.0f little-endian
});

Deno.test("round trip keeps names, order, shapes, values and metadata", () => {
  const sd = sample();
  const { tensors, metadata } = decodeSafetensors(encodeSafetensors(sd, { format: "pt" }), "t");
  assertEquals([...tensors.keys()], ["a", "b.w", "c"]);
  for (const [k, t] of sd) assertEquals(tensors.get(k), t);
  assertEquals(metadata, { format: "pt" });
});

function corrupt(edit: (b: Uint8Array) => Uint8Array): string {
  const e = assertThrows(
    () => decodeSafetensors(edit(encodeSafetensors(sample())), "m.safetensors"),
    LabError,
  );
  assertStringIncludes(e.message, "m.safetensors");
  return e.message;
}

function withHeader(b: Uint8Array, f: (h: string) => string): Uint8Array {
  const n = Number(new DataView(b.buffer).getBigUint64(0, true));
  let h = f(new TextDecoder().decode(b.subarray(8, 8 + n)));
  h += " ".repeat(Math.max(0, n - h.length));
  const out = new Uint8Array(b.length - n + h.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(new TextEncoder().encode(h), 8);
  out.set(b.subarray(8 + n), 8 + h.length);
  return out;
}

Deno.test("corrupt files are named with the problem", () => {
  assertStringIncludes(corrupt((b) => b.subarray(0, 5)), "truncated");
  assertStringIncludes(corrupt((b) => b.subarray(0, b.length - 4)), "past the");
  assertStringIncludes(
    corrupt((b) => {
      const c = b.slice();
      new DataView(c.buffer).setBigUint64(0, 1n << 40n, true);
      return c;
    }),
    "runs past the end",
  );
  assertStringIncludes(
    corrupt((b) => withHeader(b, (h) => h.replace('"a":{"dtype":"F32"', '"a":{"dtype":"F16"'))),
    'dtype "F16"; only F32',
  );
  assertStringIncludes(corrupt((b) => withHeader(b, (h) => h.replace("[12,52]", "[8,48]"))), "overlaps");
  assertStringIncludes(
    corrupt((b) => withHeader(b, (h) => h.replace('"shape":[3]', '"shape":[4]'))),
    "needs 16",
  );
  assertStringIncludes(corrupt((b) => withHeader(b, (h) => "{" + h.slice(2))), "not valid JSON");
});
