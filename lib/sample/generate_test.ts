import { assert, assertAlmostEquals, assertEquals, assertNotEquals } from "@std/assert";
import { randomTokens, tinyModel, useWasm } from "../../tests/helpers/tiny.ts";
import { generate, pickToken } from "./generate.ts";
import { scoreContinuations } from "./score.ts";
import { Rng } from "../core/rng.ts";
import { nativeKernelsActive } from "../core/native/mod.ts";

await useWasm();

Deno.test("pickToken: temperature 0 is argmax with the raw log-prob", () => {
  const lp = [Math.log(0.2), Math.log(0.5), Math.log(0.3)];
  assertEquals(pickToken(lp, 0, 0, new Rng(1)), [1, Math.log(0.5)]);
});

Deno.test("pickToken: top-k renormalises; the log-prob is under the sampling distribution", () => {
  // p = [0.5, 0.3, 0.2], top-2 -> [0.625, 0.375, 0]
  const lp = [Math.log(0.5), Math.log(0.3), Math.log(0.2)];
  const seen = new Set<number>();
  const rng = new Rng(3);
  for (let i = 0; i < 200; i++) {
    const [tok, logp] = pickToken(lp, 1, 2, rng);
    seen.add(tok);
    assertAlmostEquals(logp, Math.log(tok === 0 ? 0.625 : 0.375), 1e-9);
  }
  assertEquals([...seen].sort(), [0, 1]);
});

Deno.test("pickToken: temperature 2 flattens p to p^(1/2) / Z", () => {
  const lp = [Math.log(0.64), Math.log(0.36)];
  const [tok, logp] = pickToken(lp, 2, 0, new Rng(5));
  assertAlmostEquals(logp, Math.log((tok === 0 ? 0.8 : 0.6) / 1.4), 1e-9);
});

Deno.test("generate: sampled log-probs equal scoring the same tokens (KV cache vs full forward)", () => {
  const m = tinyModel();
  const prompts = [[1, 3, 4], [1, 5], [1, 6, 7, 8]]; // ragged prompts
  const gen = generate(m, prompts, { maxNewTokens: 6, temperature: 1, rng: new Rng(9) });
  const scored = scoreContinuations(m, prompts.map((p, i) => ({ context: p, continuation: gen.tokens[i] })));
  gen.logProbs.forEach((row, i) =>
    row.forEach((lp, t) => assertAlmostEquals(lp, scored.logProbs[i][t], 2e-5))
  );
  assertEquals(gen.tokens.map((t) => t.length), [6, 6, 6]);
  m.dispose();
});

Deno.test("generate: deterministic per seed; rows independent of batch-mates", () => {
  const m = tinyModel();
  const prompts = randomTokens(new Rng(2), 4, 3, 16);
  const a = generate(m, prompts, { maxNewTokens: 5, temperature: 1, rng: new Rng(1) });
  const b = generate(m, prompts, { maxNewTokens: 5, temperature: 1, rng: new Rng(1) });
  const c = generate(m, prompts, { maxNewTokens: 5, temperature: 1, rng: new Rng(2) });
  assertEquals(a.tokens, b.tokens);
  assertNotEquals(a.tokens, c.tokens);
  const firstTwo = generate(m, prompts.slice(0, 2), { maxNewTokens: 5, temperature: 1, rng: new Rng(1) });
  assertEquals(firstTwo.tokens, a.tokens.slice(0, 2));
  m.dispose();
});

Deno.test("generate: greedy equals repeated argmax of the full forward; stop tokens end rows", () => {
  const m = tinyModel();
  const prompt = [1, 2, 3];
  const gen = generate(m, [prompt], { maxNewTokens: 8, temperature: 0, rng: new Rng(0) });
  const seq = [...prompt];
  for (let i = 0; i < 8; i++) {
    const lp = m.logProbs([seq])[0].at(-1)!;
    seq.push(lp.indexOf(Math.max(...lp)));
  }
  assertEquals(gen.tokens[0], seq.slice(3));
  const stopAt = gen.tokens[0][2];
  const stopped = generate(m, [prompt], {
    maxNewTokens: 8,
    temperature: 0,
    stopTokens: [stopAt],
    rng: new Rng(0),
  });
  assert(stopped.stopped[0]);
  assertEquals(stopped.tokens[0], seq.slice(3, 3 + gen.tokens[0].indexOf(stopAt) + 1));
  m.dispose();
});

Deno.test("generate: rows that stop leave the batch; the others' tokens are unchanged, log-probs too (stock: bit for bit)", () => {
  const m = tinyModel();
  const prompts = randomTokens(new Rng(4), 6, 3, 16);
  const opts = { maxNewTokens: 10, temperature: 1, rng: new Rng(7) };
  const free = generate(m, prompts, { ...opts, rng: new Rng(7) });
  // Stop on a token that some rows emit early: those rows leave the batch mid-generation.
  const stopTok = free.tokens[0][1];
  const pruned = generate(m, prompts, { ...opts, stopTokens: [stopTok] });
  const early = pruned.tokens.filter((t) => t.length < 10).length;
  assert(early >= 1 && early < 6, `want some rows to stop early, got ${early}`);
  for (let b = 0; b < 6; b++) {
    const cut = free.tokens[b].indexOf(stopTok);
    const n = cut < 0 ? 10 : cut + 1;
    assertEquals(pruned.tokens[b], free.tokens[b].slice(0, n));
    if (nativeKernelsActive()) {
      // OpenBLAS's sgemm rounds a row differently depending on how many rows it multiplies at once, so
      // with the native kernels a smaller batch moves log-probs in the last bits (stock: bit-identical).
      pruned.logProbs[b].forEach((lp, i) => assertAlmostEquals(lp, free.logProbs[b][i], 1e-5));
    } else assertEquals(pruned.logProbs[b], free.logProbs[b].slice(0, n)); // bit-identical, not just close
    assertEquals(pruned.stopped[b], cut >= 0);
  }
  m.dispose();
});

Deno.test("scoreContinuations: full distributions are normalised and agree with logProbs", () => {
  const m = tinyModel();
  const s = scoreContinuations(m, [{ context: [1, 2], continuation: [3, 4, 5] }, {
    context: [1],
    continuation: [7],
  }], { full: true });
  const d = s.distributions!;
  assertEquals(d.map((x) => x.length), [3, 1]);
  for (const row of d) {
    for (const dist of row) assertAlmostEquals(dist.reduce((a, v) => a + Math.exp(v), 0), 1, 1e-5);
  }
  assertAlmostEquals(d[0][1][4], s.logProbs[0][1], 1e-7);
  const direct = m.logProbs([[1, 2, 3, 4]])[0];
  assertAlmostEquals(s.logProbs[0][2], direct[3][5], 1e-5);
  m.dispose();
});
