// Child process of heap_test.ts: fill the low 2 GiB of the wasm heap, then run every native kernel
// (through the model's ops) on tensors above it and compare with the stock path on the same values.
// Prints {lowestOffset, checked, failures}.
import * as tf from "@tensorflow/tfjs";
import { tinyModel, useWasm } from "../../../../tests/helpers/tiny.ts";
import { maxRelErr } from "../../../../tests/helpers/native_check.ts";
import { attention64 } from "../../../../tests/helpers/reference64.ts";
import { withStockKernels } from "../provider.ts";
import type { WasmBackend } from "../heap.ts";
import { activate, embed, layerNorm, linear, logSoftmax, targetLogProbs } from "../../../model/ops.ts";
import { nativeAttention } from "../attention.ts";
import { AdamW, globalNorm } from "../../../train/optimizer.ts";

await useWasm();
const backend = tf.backend() as unknown as WasmBackend;
// Fill the free space below the current end of the heap, then 2 GiB more, so every later tensor lies above.
const start = backend.wasm.HEAPU8.byteLength;
const blockers: tf.Tensor[] = [];
while (backend.wasm.HEAPU8.byteLength === start) blockers.push(tf.zeros([1 << 18]));
// The filler is allocated but never written (makeOutput only mallocs), so the OS never backs its pages.
backend.makeOutput([(2 ** 31 + 2 ** 24) / 4], "float32");

let lowest = Infinity, checked = 0;
const failures: string[] = [];
const note = (...ts: tf.Tensor[]) =>
  ts.forEach((t) => {
    const offset = backend.dataIdMap.get(t.dataId)!.memoryOffset;
    if (Deno.env.get("DEBUG_OFFSETS")) console.error(t.shape, offset);
    lowest = Math.min(lowest, offset);
  });

function check(name: string, f: () => tf.Tensor, tol = 1e-5) {
  const grads = (g: () => tf.Tensor) => tf.tidy(() => Array.from(g().dataSync()));
  const native = tf.tidy(() => {
    const y = f();
    note(y);
    return Array.from(y.dataSync());
  });
  const stock = withStockKernels(() => grads(f));
  const e = maxRelErr(native, stock);
  checked++;
  if (!(e <= tol)) failures.push(`${name}: max relative difference ${e}`);
}

/** A tensor from `make` that lies past 2 GiB (small ones may land in holes below: keep those as blockers). */
function high<T extends tf.Tensor>(make: () => T): T {
  for (;;) {
    const t = make();
    if (backend.dataIdMap.get(t.dataId)!.memoryOffset > 2 ** 31) return t;
    blockers.push(t);
  }
}
const x = high(() => tf.randomNormal([64, 32], 0, 1, "float32", 1) as tf.Tensor2D);
const w = high(() => tf.randomNormal([32, 48], 0, 1, "float32", 2));
const b = high(() => tf.randomNormal([48], 0, 1, "float32", 3));
const g = high(() => tf.randomNormal([32], 0, 1, "float32", 4));
const ids = high(() => tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 7), "int32"));
note(x, w, b, g, ids);
check("BatchMatMul, both transposed", () => tf.matMul(w, x, true, true));
check("Sum leading axis", () => tf.sum(x, 0));
check("linear", () => linear(x, w, b));
check(
  "linear gradient",
  () => tf.grad((xx: tf.Tensor) => tf.sum(tf.square(linear(xx as tf.Tensor2D, w, b))))(x),
  1e-4,
);
check("layerNorm", () => layerNorm(x, g));
check("layerNorm gradient", () => tf.grad((xx: tf.Tensor) => tf.sum(tf.square(layerNorm(xx, g))))(x), 1e-4);
check("gelu", () => activate(x, "gelu"));
check("embedding", () => embed(ids, x));
check("log-softmax", () => logSoftmax(x));
check("target log-prob", () => targetLogProbs(x, ids));
// Attention has no stock kernel of its own: compare with the float64 reference.
const qkv = tf.concat([x, tf.reverse(x, 0), tf.neg(x)], 1) as tf.Tensor2D;
note(qkv);
const att = nativeAttention(qkv, 4, 16, 4);
note(att);
checked++;
const attErr = maxRelErr(att.dataSync(), attention64(Float64Array.from(qkv.dataSync()), 4, 16, 4));
if (!(attErr < 1e-5)) failures.push(`attention: max relative difference ${attErr} from float64`);
// The fused decode step against the stock full forward, with its cache and output past 2 GiB.
const model = tinyModel({ position: "rotary" });
const rows = [[1, 2, 3, 4], [5, 6, 7, 8]];
const cache = model.emptyCache(2);
note(...cache.k, ...cache.v);
const stepped = model.step(tf.tensor2d(rows, undefined, "int32"), cache);
note(stepped.logProbs);
const full = withStockKernels(() => model.logProbs(rows)).map((r) => r[3]).flat();
checked++;
const stepErr = maxRelErr(stepped.logProbs.dataSync(), full);
if (!(stepErr < 1e-5)) {
  failures.push(`decode step: max relative difference ${stepErr} from the stock forward`);
}
const p = high(() => tf.variable(tf.randomNormal([32, 48], 0, 1, "float32", 5)));
note(p);
const opt = new AdamW(new Map([["p", p]]), {
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  weightDecay: 0.1,
  gradClip: 1,
});
const before = Array.from(p.dataSync());
opt.apply({ p: w }, 0.01, globalNorm({ p: w }));
checked++;
if (maxRelErr(p.dataSync(), before) === 0) failures.push("AdamW did not update the parameter");
console.log(JSON.stringify({ lowestOffset: lowest, checked, failures }));
