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

// A hand-built file: header text and offsets counted by hand, bytes written out literally.
// The header is 141 bytes; padded with 3 spaces to 144 (a multiple of 8); the buffer is 12 bytes.
const HAND_HEADER = '{"__metadata__":{"format":"pt"},' +
  '"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
  '"b":{"dtype":"F32","shape":[1,1],"data_offsets":[8,12]}}   ';
const HAND_BYTES = Uint8Array.from([
  144,
  0,
  0,
  0,
  0,
  0,
  0,
  0, // u64 LE header length
  ...new TextEncoder().encode(HAND_HEADER),
  0,
  0,
  0x80,
  0x3f,
  0,
  0,
  0,
  0xc0, // a = [1.0, -2.0] as f32 LE
  0,
  0,
  0x40,
  0x40, // b = [[3.0]]
]);

Deno.test("encoding matches a hand-built file byte for byte", () => {
  assertEquals(HAND_HEADER.length, 144);
  assertEquals(HAND_BYTES.length, 8 + 144 + 12);
  const sd: StateDict = new Map([
    ["a", { shape: [2], data: Float32Array.from([1, -2]) }],
    ["b", { shape: [1, 1], data: Float32Array.from([3]) }],
  ]);
  assertEquals(encodeSafetensors(sd, { format: "pt" }), HAND_BYTES);
  const { tensors, metadata } = decodeSafetensors(HAND_BYTES, "hand.safetensors");
  assertEquals(tensors, sd);
  assertEquals(metadata, { format: "pt" });
});

Deno.test("decoding orders tensors by offset and copies from unaligned buffers", () => {
  // Header lists "b" before "a", but a's bytes come first; then put the file at byte offset 3.
  const header = '{"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},' +
    '"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'; // 108 bytes: 13*8 = 104, so pad 4
  assertEquals(header.length, 108);
  const h = new TextEncoder().encode(header.padEnd(112));
  const file = new Uint8Array(3 + 8 + 112 + 12);
  new DataView(file.buffer).setBigUint64(3, 112n, true);
  file.set(h, 11);
  new DataView(file.buffer).setFloat32(123, 1, true);
  new DataView(file.buffer).setFloat32(127, -2, true);
  new DataView(file.buffer).setFloat32(131, 3, true);
  const { tensors, metadata } = decodeSafetensors(file.subarray(3), "x");
  assertEquals([...tensors.keys()], ["a", "b"]);
  assertEquals(tensors.get("a")!.data, Float32Array.from([1, -2]));
  assertEquals(tensors.get("b")!.data, Float32Array.from([3]));
  assertEquals(metadata, {});
});

Deno.test("round trip of random tensors of odd sizes, empty and scalar ones, non-ASCII names", () => {
  const rng = new Rng(7);
  const shapes = [[1], [3], [5, 7], [13, 1, 3], [], [0], [2, 0, 4], [129], [11, 17]];
  const sd: StateDict = new Map();
  shapes.forEach((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    sd.set(`t${i}.${"é".repeat(i % 3)}w`, {
      shape,
      data: Float32Array.from({ length: n }, () => rng.normal()),
    });
  });
  // Tensors that are views into a larger buffer at an odd float offset.
  const big = Float32Array.from({ length: 40 }, () => rng.float());
  sd.set("view", { shape: [3, 3], data: big.subarray(5, 14) });
  sd.set("0", { shape: [2], data: Float32Array.from([Infinity, -0]) }); // an integer-like key
  const meta = { format: "pt", note: "λ ≠ 1" };
  const bytes = encodeSafetensors(sd, meta);
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assertEquals(n % 8, 0);
  assertEquals((bytes.length - 8 - n) % 4, 0);
  const { tensors, metadata } = decodeSafetensors(bytes, "t");
  assertEquals([...tensors.keys()], [...sd.keys()]);
  for (const [k, t] of sd) assertEquals(tensors.get(k), { shape: t.shape, data: Float32Array.from(t.data) });
  assertEquals(metadata, meta);
});

Deno.test("encoding rejects data that does not match its shape, and non-string metadata", () => {
  const bad: StateDict = new Map([["x", { shape: [2, 2], data: new Float32Array(3) }]]);
  assertThrows(() => encodeSafetensors(bad), Error, "'x' has 3 values for shape [2,2]");
  assertThrows(
    () => encodeSafetensors(sample(), { n: 1 as unknown as string }),
    Error,
    "metadata 'n' must be a string",
  );
});

function corrupt(edit: (b: Uint8Array) => Uint8Array): string {
  const e = assertThrows(
    () => decodeSafetensors(edit(encodeSafetensors(sample())), "m.safetensors"),
    LabError,
  );
  assertStringIncludes(e.message, "m.safetensors: ");
  assertStringIncludes(e.message, "Fix: ");
  return e.message;
}

/** Rewrite the header text (re-padded to a multiple of 8), keeping the byte buffer. */
function withHeader(b: Uint8Array, f: (h: string) => string): Uint8Array {
  const n = Number(new DataView(b.buffer).getBigUint64(0, true));
  const h = new TextEncoder().encode(f(new TextDecoder().decode(b.subarray(8, 8 + n)).trimEnd()));
  const len = Math.ceil(h.length / 8) * 8;
  const out = new Uint8Array(8 + len + b.length - 8 - n).fill(0x20, 8, 8 + len);
  new DataView(out.buffer).setBigUint64(0, BigInt(len), true);
  out.set(h, 8);
  out.set(b.subarray(8 + n), 8 + len);
  return out;
}

function setLength(b: Uint8Array, n: bigint): Uint8Array {
  const c = b.slice();
  new DataView(c.buffer).setBigUint64(0, n, true);
  return c;
}

// sample(): a = [3] at [0,12], b.w = [2,5] at [12,52], c = [7] at [52,80].
const CORRUPTIONS: [string, (b: Uint8Array) => Uint8Array, string][] = [
  ["5 bytes", (b) => b.subarray(0, 5), "truncated file (5 bytes"],
  ["header cut", (b) => b.subarray(0, 20), "runs past the end of the 20-byte file"],
  ["buffer cut", (b) => b.subarray(0, b.length - 4), "tensor 'c' ends at byte 80, past the 76-byte"],
  ["huge header length", (b) => setLength(b, 1n << 40n), "header length 1099511627776 runs past the end"],
  ["u64 max header length", (b) => setLength(b, (1n << 64n) - 1n), "runs past the end"],
  ["header length 0", (b) => setLength(b, 0n), "does not start with '{'"],
  ["bad JSON", (b) => withHeader(b, (h) => h.slice(0, -1)), "header is not valid UTF-8 JSON"],
  ["JSON array", (b) => withHeader(b, () => "{}").fill(0x5b, 8, 9), "does not start with '{'"],
  ["dtype F16", (b) => withHeader(b, (h) => h.replace('"dtype":"F32"', '"dtype":"F16"')), "dtype F16"],
  ["dtype Q4", (b) => withHeader(b, (h) => h.replace('"dtype":"F32"', '"dtype":"Q4"')), 'unknown dtype "Q4"'],
  ["overlap", (b) => withHeader(b, (h) => h.replace("[12,52]", "[8,48]")), "tensor 'b.w' [8, 48) overlaps"],
  [
    "leading gap",
    (b) => withHeader(b, (h) => h.replace("[0,12]", "[4,16]")),
    "gap of 4 unused bytes precedes tensor 'a'",
  ],
  ["shape vs offsets", (b) => withHeader(b, (h) => h.replace('"shape":[3]', '"shape":[4]')), "needs 16"],
  ["negative dim", (b) => withHeader(b, (h) => h.replace('"shape":[3]', '"shape":[-3]')), "bad shape [-3]"],
  ["offsets reversed", (b) => withHeader(b, (h) => h.replace("[0,12]", "[12,0]")), "bad data_offsets [12,0]"],
  ["trailing bytes", (b) => Uint8Array.from([...b, 0, 0, 0, 0]), "4 trailing bytes after the last tensor"],
  [
    "tensor not object",
    (b) => withHeader(b, (h) => h.replace(/"a":\{[^}]*\}/, '"a":7')),
    "tensor 'a' has no",
  ],
  [
    "metadata number",
    (b) => withHeader(b, (h) => '{"__metadata__":{"k":1},' + h.slice(1)),
    "'k' must be a string",
  ],
];

for (const [name, edit, expected] of CORRUPTIONS) {
  Deno.test(`corrupt file (${name}) is a LabError naming the file and the problem`, () => {
    assertStringIncludes(corrupt(edit), expected);
  });
}

Deno.test("the F16 message says only F32 is supported", () => {
  const msg = corrupt((b) => withHeader(b, (h) => h.replace('"dtype":"F32"', '"dtype":"F16"')));
  assertStringIncludes(msg, "tensor 'a' has dtype F16, which is not supported: only F32 is");
});

Deno.test("a gap between tensors is named", () => {
  // Move c one float later and lengthen the buffer so no tensor runs past the end.
  const msg = corrupt((b) =>
    Uint8Array.from([...withHeader(b, (h) => h.replace("[52,80]", "[56,84]")), 0, 0, 0, 0])
  );
  assertStringIncludes(msg, "a gap of 4 unused bytes precedes tensor 'c'");
});
