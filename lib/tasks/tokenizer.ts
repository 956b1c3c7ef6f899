/**
 * The lab's frozen character-level vocabulary. Every token is one character,
 * so examples are plain readable strings ("^3+4*2=3+4=7;7*2=4>4$"). Ids never change:
 * checkpoints and eval sets depend on them.
 *
 *   "_" PAD 0, "^" BOS 1, "$" EOS 2, digits "0".."9" = 3..12,
 *   operators and separators "+-*=;>?:|,.", feature letters "a".."p",
 *   class labels "A".."H", reserved harness markers "[]<#@!~&".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { decode, encode } from "./tokenizer.ts";
 * assertEquals(encode("^3+4="), [1, 6, 13, 7, 16]);
 * assertEquals(decode([1, 6, 13, 7, 16]), "^3+4=");
 * ```
 */
import { LabError } from "../core/errors.ts";

export const VOCAB = "_^$0123456789+-*=;>?:|,.abcdefghijklmnopABCDEFGH[]<#@!~&";
export const VOCAB_SIZE = VOCAB.length;
export const PAD_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;

const ID = new Map<string, number>([...VOCAB].map((c, i) => [c, i]));

/** Token ids of a string; a character outside the vocabulary is a LabError. */
export function encode(text: string): number[] {
  const ids = new Array<number>(text.length);
  for (let i = 0; i < text.length; i++) {
    const id = ID.get(text[i]);
    if (id === undefined) {
      throw new LabError(
        `cannot tokenise ${JSON.stringify(text)}: character ${
          JSON.stringify(text[i])
        } at position ${i} is not in the vocabulary`,
        `use only ${JSON.stringify(VOCAB)}`,
      );
    }
    ids[i] = id;
  }
  return ids;
}

/** The string of token ids; an id outside 0..VOCAB_SIZE-1 is a LabError. */
export function decode(ids: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < ids.length; i++) {
    const c = VOCAB[ids[i]];
    if (c === undefined || !Number.isInteger(ids[i])) {
      throw new LabError(
        `cannot decode token id ${ids[i]} at position ${i}: vocabulary has ${VOCAB_SIZE} ids`,
      );
    }
    s += c;
  }
  return s;
}

/** Token id of digit d (0..9). */
export function digitId(d: number): number {
  return 3 + d;
}
