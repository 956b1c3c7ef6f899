import { assertEquals, assertThrows } from "@std/assert";
import { canonicalJson, sha256Hex } from "./hash.ts";

const table: [unknown, string][] = [
  [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
  [{ a: [3, { z: 1, y: null }] }, '{"a":[3,{"y":null,"z":1}]}'],
  [{ a: undefined, b: "x" }, '{"b":"x"}'],
  [[1, "2", true], '[1,"2",true]'],
];
for (const [input, want] of table) {
  Deno.test(`canonicalJson ${want}`, () => assertEquals(canonicalJson(input), want));
}

Deno.test("canonicalJson rejects non-finite numbers with the path", () => {
  assertThrows(() => canonicalJson({ lr: { max: NaN } }), Error, "$.lr.max");
});

Deno.test("sha256Hex matches the FIPS 180-2 test vectors", async () => {
  assertEquals(await sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assertEquals(await sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
});
