import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  bayesAccuracy,
  confusableShare,
  generatePrecedent,
  LABELS,
  letter,
  likelihood,
  macroF1,
  makeWorld,
  noiseRate,
  parseLabel,
  parsePrompt,
  PrecedentSettingsSchema,
  promptProbability,
  verifyLabel,
} from "./precedent.ts";
import { Rng } from "../core/rng.ts";
import { parseConfig } from "../core/config.ts";
import { LabError } from "../core/errors.ts";

const S = PrecedentSettingsSchema.parse({});

// [truth, pred, macro-F1] computed by hand; F1 = 2tp / (2tp + fp + fn).
const f1Table: [string[], (string | null)[], number][] = [
  [["A", "A", "B", "B"], ["A", "A", "B", "B"], 1],
  // A: tp1 fp0 fn1 -> 2/3; B: tp2 fp1 fn0 -> 4/5; mean 0.733333
  [["A", "A", "B", "B"], ["A", "B", "B", "B"], (2 / 3 + 0.8) / 2],
  // C predicted but never true: F1(C) = 0 and it counts; A: 2/3; B: 1 -> (2/3 + 1 + 0) / 3
  [["A", "A", "B"], ["A", "C", "B"], (2 / 3 + 1 + 0) / 3],
  [["A"], ["B"], 0],
  // null = no valid label: a miss for A (fn) but no class of its own -> A: 2/3, B: 1
  [["A", "A", "B"], ["A", null, "B"], (2 / 3 + 1) / 2],
  // A: tp1 fp1 fn1 -> 1/2; B: 1; C: tp0 -> 0; D..H occur in neither list and are skipped -> 1.5 / 3
  [["A", "B", "C", "A"], ["A", "B", "A", "C"], 0.5],
  [[], [], 0],
];
for (const [t, p, want] of f1Table) {
  Deno.test(`macroF1 ${t.join("")} vs ${p.map((x) => x ?? "-").join("")} = ${want.toFixed(4)}`, () =>
    assertAlmostEquals(macroF1(t, p), want, 1e-12));
}

Deno.test("macroF1 needs equal lengths", () => {
  assertThrows(() => macroF1(["A"], []), LabError, "1 labels vs 0 predictions");
});

Deno.test("world: twins differ in exactly their decisive slot; tells differ from base and twin", () => {
  const w = makeWorld(S);
  for (let c = 0; c < S.classes; c += 2) {
    const diff = w.prototypes[c].map((v, s) => (v !== w.prototypes[c + 1][s] ? s : -1)).filter((s) => s >= 0);
    assertEquals(diff, [w.decisive[c]]);
    assertEquals([w.decisive[c + 1], w.tell[c + 1]], [w.decisive[c], w.tell[c]]);
    assert(w.tell[c] !== w.decisive[c]);
    const base = w.prototypes[c][w.tell[c]];
    assert(w.tellValue[c] !== base && w.tellValue[c + 1] !== base && w.tellValue[c] !== w.tellValue[c + 1]);
  }
  assertEquals(makeWorld(S), makeWorld(PrecedentSettingsSchema.parse({ world_seed: 1 })));
  const other = makeWorld(PrecedentSettingsSchema.parse({ world_seed: 2 }));
  assert(JSON.stringify(other) !== JSON.stringify(makeWorld(S)));
});

Deno.test("schedules: noise 0 .. 0.4 and confusable share 0 .. 1 over levels 1..D", () => {
  assertEquals([1, 2, 3, 4, 5].map((l) => noiseRate(l, S)), [0, 0.1, 0.2, 0.30000000000000004, 0.4]);
  assertEquals([1, 2, 3, 4, 5].map((l) => confusableShare(l, S)), [0, 0.25, 0.5, 0.75, 1]);
  const one = PrecedentSettingsSchema.parse({ max_level: 1 });
  assertEquals([noiseRate(1, one), confusableShare(1, one)], [0, 0]);
});

Deno.test("examples: level 1 is the tell form; the decisive slot is never corrupted; letters per slot", () => {
  const w = makeWorld(S), rng = new Rng(4);
  for (let i = 0; i < 300; i++) {
    const e1 = generatePrecedent(rng, 1, S);
    const c = LABELS.indexOf(e1.label);
    const tellForm = [...w.prototypes[c]];
    tellForm[w.tell[c]] = w.tellValue[c];
    assertEquals([e1.values, e1.confusable], [tellForm, false]);
    const e5 = generatePrecedent(rng, 5, S);
    const c5 = LABELS.indexOf(e5.label);
    assertEquals([e5.values[w.decisive[c5]], e5.confusable], [w.prototypes[c5][w.decisive[c5]], true]);
    assertEquals(parsePrompt(e5.prompt), e5.values);
    assertEquals(e5.prompt, `^${e5.values.map((v, s) => letter(s, v)).join("")}?`);
    assertEquals(e5.target, `${e5.label}$`);
  }
});

Deno.test("generator: deterministic per seed; class and confusable shares near their rates", () => {
  const draw = (seed: number) =>
    Array.from({ length: 4000 }, (_, i) => generatePrecedent(new Rng(seed).fork(`${i}`), 3, S));
  const a = draw(9);
  assertEquals(a, draw(9));
  const share = a.filter((e) => e.confusable).length / a.length;
  assert(Math.abs(share - 0.5) < 0.03, `confusable share ${share}`);
  for (const l of LABELS) {
    const f = a.filter((e) => e.label === l).length / a.length;
    assert(Math.abs(f - 1 / 8) < 0.025, `class ${l} share ${f}`);
  }
  assertThrows(() => generatePrecedent(new Rng(0), 6, S), LabError, "1..5");
});

Deno.test("likelihoods are distributions; prompt probabilities sum to 1", () => {
  for (const level of [1, 3, 5]) {
    let total = 0;
    const perClass = new Array(S.classes).fill(0);
    const values = new Array(S.slots).fill(0);
    for (let i = 0; i < 4 ** S.slots; i++) {
      for (let s = 0, x = i; s < S.slots; s++, x = Math.floor(x / 4)) values[s] = x % 4;
      total += promptProbability(values, level, S);
      for (let c = 0; c < S.classes; c++) perClass[c] += likelihood(values, c, level, S);
    }
    assertAlmostEquals(total, 1, 1e-12);
    perClass.forEach((p) => assertAlmostEquals(p, 1, 1e-12));
  }
});

Deno.test("Bayes ceiling is 1 at level 1 and falls with noise", () => {
  assertAlmostEquals(bayesAccuracy(1, S), 1, 1e-12);
  const accs = [1, 2, 3, 4, 5].map((l) => bayesAccuracy(l, S));
  for (let i = 1; i < 5; i++) assert(accs[i] <= accs[i - 1] + 1e-12, `ceiling ${accs}`);
  assert(accs[4] < 0.99);
});

Deno.test("parsePrompt: slot s accepts only its own 4 letters", () => {
  assertEquals(parsePrompt("^aeimaf?"), [0, 0, 0, 0, 0, 1]); // slot 4 reuses a-d, slot 5 e-h
  assertEquals([parsePrompt("^ea?"), parsePrompt("^aeim"), parsePrompt("aeim?"), parsePrompt("^?")], [
    null,
    null,
    null,
    null,
  ]);
});

// [completion, parsed label]
const labels: [string, string | null][] = [
  ["C$", "C"],
  ["C", "C"],
  ["C$D", "C"],
  ["CC$", null],
  ["$", null],
  [
    "c$",
    null,
  ],
  ["I$", null],
];
for (const [text, want] of labels) {
  Deno.test(`parseLabel ${JSON.stringify(text)} -> ${want}`, () => {
    assertEquals(parseLabel(text), want);
    assertEquals(verifyLabel({ label: "C" }, text), want === "C");
  });
}

Deno.test("settings validation", () => {
  assertThrows(
    () => parseConfig(PrecedentSettingsSchema, { classes: 3 }, "precedent"),
    Error,
    "classes must be even",
  );
  assertThrows(
    () => parseConfig(PrecedentSettingsSchema, { classes: 10 }, "precedent"),
    Error,
    "field 'classes'",
  );
  assertThrows(() => parseConfig(PrecedentSettingsSchema, { max_level: 0 }, "precedent"), Error, "max_level");
});
