import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { BOS_ID, decode, digitId, encode, EOS_ID, PAD_ID, VOCAB, VOCAB_SIZE } from "./tokenizer.ts";
import { LabError } from "../core/errors.ts";

Deno.test("frozen vocabulary: exact order, one character per id", () => {
  assertEquals(VOCAB, "_^$" + "0123456789" + "+-*=;>?:|,." + "abcdefghijklmnop" + "ABCDEFGH" + "[]<#@!~&");
  assertEquals([PAD_ID, BOS_ID, EOS_ID], [0, 1, 2]);
  assertEquals(encode("_^$"), [0, 1, 2]);
  assertEquals(encode("0123456789"), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assertEquals(encode("+-*=;>?:|,."), [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
  assertEquals(encode("apAH[&"), [24, 39, 40, 47, 48, 55]);
  assertEquals(VOCAB_SIZE, 56);
  assertEquals(new Set(VOCAB).size, VOCAB_SIZE);
  assertEquals([0, 7, 9].map(digitId), [3, 10, 12]);
});

Deno.test("encode/decode round trip over every id and both task formats", () => {
  for (const s of ["^3+4*2=3+4=7;7*2=4>4$", "^aeimbf?C$", VOCAB]) assertEquals(decode(encode(s)), s);
  assertEquals(encode(decode([...Array(VOCAB_SIZE).keys()])), [...Array(VOCAB_SIZE).keys()]);
});

// [input, message fragment]
const encodeErrors: [string, string][] = [
  ["^3x4", 'character "x" at position 2'],
  ["^3 4", 'character " " at position 2'],
  ["Z", 'character "Z" at position 0'],
];
for (const [text, fragment] of encodeErrors) {
  Deno.test(`encode rejects ${JSON.stringify(text)}`, () => {
    const e = assertThrows(() => encode(text), LabError, fragment);
    assertStringIncludes(e.message, "Fix: use only");
  });
}

Deno.test("decode rejects out-of-range and non-integer ids, naming the position", () => {
  assertThrows(() => decode([1, 56]), LabError, "token id 56 at position 1");
  assertThrows(() => decode([-1]), LabError, "token id -1 at position 0");
  assertThrows(() => decode([3, 1.5]), LabError, "token id 1.5 at position 1");
});
