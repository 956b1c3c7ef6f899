import { assertEquals, assertThrows } from "@std/assert";
import { BOS_ID, decode, digitId, encode, EOS_ID, PAD_ID, VOCAB, VOCAB_SIZE } from "./tokenizer.ts";
import { LabError } from "../core/errors.ts";

Deno.test("frozen ids: specials, digits, the first and last symbols", () => {
  assertEquals([PAD_ID, BOS_ID, EOS_ID], [0, 1, 2]);
  assertEquals(encode("0123456789"), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assertEquals(encode("+-*=;>"), [13, 14, 15, 16, 17, 18]);
  assertEquals(encode("aA&"), [24, 40, 55]);
  assertEquals(VOCAB_SIZE, 56);
  assertEquals(digitId(7), 10);
  assertEquals(new Set(VOCAB).size, VOCAB_SIZE);
});

Deno.test("encode/decode round trip; bad characters and ids are named", () => {
  const s = "^3+4*2=3+4=7;7*2=4>4$";
  assertEquals(decode(encode(s)), s);
  assertThrows(() => encode("^3x4"), LabError, 'character "x" at position 2');
  assertThrows(() => decode([1, 56]), LabError, "token id 56 at position 1");
});
