import { assertAlmostEquals, assertEquals } from "@std/assert";
import { Rng } from "../core/rng.ts";
import { promptFeatures, TfidfIndex } from "./retrieval_tfidf.ts";

// Hand-computed: bank "ab", "ac", "db" (N = 3). Features (0,a) and (1,b) occur twice (idf ln(4/3) + 1),
// (1,c) and (0,d) once (idf ln(4/2) + 1), an unseen feature has idf ln(4/1) + 1.
const idf2 = Math.log(4 / 3) + 1, idf1 = Math.log(2) + 1, idf0 = Math.log(4) + 1;
const cases: [string, number[]][] = [
  // identical to "ab"; shares one df-2 feature with "ac" and one with "db"
  ["^ab?", [
    1,
    idf2 ** 2 / (Math.sqrt(2) * idf2 * Math.hypot(idf2, idf1)),
    idf2 ** 2 / (Math.sqrt(2) * idf2 * Math.hypot(idf2, idf1)),
  ]],
  // "pc": (0,p) unseen, (1,c) shared with "ac" only
  ["^pc?", [0, idf1 ** 2 / (Math.hypot(idf0, idf1) * Math.hypot(idf2, idf1)), 0]],
];
for (const [query, want] of cases) {
  Deno.test(`TF-IDF cosine of ${query} against ab, ac, db (hand-computed)`, () => {
    const index = new TfidfIndex();
    index.add(["^ab?", "^ac?", "^db?"]);
    const [got] = index.scores([query]);
    want.forEach((w, i) => assertAlmostEquals(got[i], w, 1e-6));
  });
}

Deno.test("TF-IDF weights: idf = ln((1 + N) / (1 + df)) + 1", () => {
  const index = new TfidfIndex();
  index.add(["^ab?", "^ac?", "^db?"]);
  const [a0] = promptFeatures("^a?");
  assertAlmostEquals(index.idf(a0), idf2, 1e-12);
  assertAlmostEquals(index.idf(promptFeatures("^ac?")[1]), idf1, 1e-12);
  assertAlmostEquals(index.idf(promptFeatures("^p?")[0]), idf0, 1e-12);
  assertEquals(promptFeatures("^ab?"), [0 * 56 + 24, 1 * 56 + 25]); // position * VOCAB_SIZE + id ("a" = 24)
});

/** Dense TF-IDF cosine computed directly from the definition. */
function bruteForce(bank: string[], query: string): number[] {
  const feats = (p: string) => [...p.slice(1, -1)].map((c, i) => `${i}:${c}`);
  const df = new Map<string, number>();
  bank.forEach((p) => feats(p).forEach((f) => df.set(f, (df.get(f) ?? 0) + 1)));
  const idf = (f: string) => Math.log((1 + bank.length) / (1 + (df.get(f) ?? 0))) + 1;
  const vec = (p: string) => new Map(feats(p).map((f) => [f, idf(f)]));
  const q = vec(query);
  const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((a, x) => a + x * x, 0));
  return bank.map((p) => {
    const e = vec(p);
    let dot = 0;
    for (const [f, w] of q) dot += w * (e.get(f) ?? 0);
    return dot / (norm(q) * norm(e));
  });
}

Deno.test("TF-IDF index equals a brute-force cosine, also when the bank grows in steps", () => {
  const rng = new Rng(3);
  const word = () =>
    "^" + Array.from({ length: 6 }, (_, s) => "abcdefghijklmnop"[4 * (s % 4) + rng.int(4)]).join("") + "?";
  const bank = Array.from({ length: 300 }, word);
  const queries = Array.from({ length: 20 }, word);
  const grown = new TfidfIndex();
  grown.add(bank.slice(0, 100));
  grown.scores(queries.slice(0, 1)); // norms cached at N = 100, then the bank grows
  grown.add(bank.slice(100));
  const got = grown.scores(queries);
  queries.forEach((q, i) => bruteForce(bank, q).forEach((w, j) => assertAlmostEquals(got[i][j], w, 1e-5)));
});
