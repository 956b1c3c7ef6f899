import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import {
  bayesAccuracy,
  generatePrecedent,
  macroF1,
  makeWorld,
  PrecedentSettingsSchema,
  verifyLabel,
} from "./precedent.ts";
import { Rng } from "../core/rng.ts";
import { parseConfig } from "../core/config.ts";
import { assertThrows } from "@std/assert";

const S = PrecedentSettingsSchema.parse({});

// [truth, pred, macro-F1] computed by hand.
const f1Table: [string[], string[], number][] = [
  [["A", "A", "B", "B"], ["A", "A", "B", "B"], 1],
  // A: tp1 fp0 fn1 -> P1 R.5 F 2/3; B: tp2 fp1 fn0 -> P2/3 R1 F.8; mean 0.733333
  [["A", "A", "B", "B"], ["A", "B", "B", "B"], (2 / 3 + 0.8) / 2],
  // C predicted but never true: F1(C) = 0 and it counts; A: P1 R.5 F2/3; B: F1 -> (2/3+1+0)/3
  [["A", "A", "B"], ["A", "C", "B"], (2 / 3 + 1 + 0) / 3],
  [["A"], ["B"], 0],
];
for (const [t, p, want] of f1Table) {
  Deno.test(`macroF1 ${t.join("")} vs ${p.join("")} = ${want.toFixed(4)}`, () =>
    assertAlmostEquals(macroF1(t, p), want, 1e-12));
}

Deno.test("world: pairs differ in exactly their decisive slot", () => {
  const w = makeWorld(S);
  for (let c = 0; c < S.classes; c += 2) {
    const diff = w.prototypes[c].map((v, s) => (v !== w.prototypes[c + 1][s] ? s : -1)).filter((s) => s >= 0);
    assertEquals(diff, [w.decisive[c]]);
  }
});

Deno.test("level 1 examples are noise-free prototypes; the decisive slot is never corrupted", () => {
  const w = makeWorld(S), rng = new Rng(4);
  for (let i = 0; i < 200; i++) {
    const e1 = generatePrecedent(rng, 1, S);
    const c = "ABCDEFGH".indexOf(e1.label);
    assertEquals(e1.values, w.prototypes[c]);
    const e5 = generatePrecedent(rng, 5, S);
    const c5 = "ABCDEFGH".indexOf(e5.label);
    assertEquals(e5.values[w.decisive[c5]], w.prototypes[c5][w.decisive[c5]]);
  }
});

Deno.test("Bayes ceiling is 1 at level 1 and falls with noise", () => {
  assertAlmostEquals(bayesAccuracy(1, S), 1, 1e-12);
  const accs = [1, 2, 3, 4, 5].map((l) => bayesAccuracy(l, S));
  for (let i = 1; i < 5; i++) assert(accs[i] <= accs[i - 1] + 1e-12, `ceiling ${accs}`);
  assert(accs[4] < 0.99);
});

Deno.test("verifyLabel and settings validation", () => {
  assertEquals(verifyLabel({ label: "C" }, "C$"), true);
  assertEquals(verifyLabel({ label: "C" }, "D$"), false);
  assertThrows(
    () => parseConfig(PrecedentSettingsSchema, { classes: 3 }, "precedent"),
    Error,
    "classes must be even",
  );
});
