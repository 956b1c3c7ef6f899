// Memory growth inside a native kernel: the output allocation grows the wasm memory (detaching the
// heap's old ArrayBuffer); the kernel must hand C the new one. And offsets past 2 GiB, in a child
// process (the heap never shrinks, so the 2 GiB filler must not stay in this one).
import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "@std/assert";
import { useWasm } from "../../../tests/helpers/tiny.ts";
import { NATIVE_BUILT } from "../../../tests/helpers/native_check.ts";
import type { WasmBackend } from "./heap.ts";
import { nativeLinear } from "./linear.ts";

await useWasm();

const heapBytes = () => (tf.backend() as unknown as WasmBackend).wasm.HEAPU8.byteLength;

Deno.test({
  name: "a kernel whose output grows the wasm memory reads the new heap (matmul, then a linear gradient)",
  ignore: !NATIVE_BUILT,
  fn: () => {
    const before = heapBytes();
    const N = Math.ceil(before / 4 / 1024) + 4096; // the [1024, N] output alone is larger than the heap
    const a = tf.range(1, 1025).reshape([1024, 1]), b = tf.range(0, N).reshape([1, N]);
    const c = tf.matMul(a, b);
    assert(heapBytes() > before, `the heap did not grow (${before} bytes)`);
    const at = (i: number, j: number) => c.slice([i, j], [1, 1]).dataSync()[0];
    assertEquals([at(0, 0), at(1, 1), at(1023, N - 1)], [0, 2, 1024 * (N - 1)]);
    c.dispose();

    const grown = heapBytes();
    const rows = Math.ceil(grown / 4 / 64) + 1024; // dx [rows, 64] of the gradient outgrows the heap again
    const x = tf.ones([rows, 64]) as tf.Tensor2D, w = tf.fill([64, 2], 0.5);
    const g = tf.grad((xx: tf.Tensor) => tf.sum(nativeLinear(xx as tf.Tensor2D, w)))(x);
    assert(heapBytes() > grown);
    assertEquals(Array.from(g.slice([rows - 1, 0], [1, 3]).dataSync()), [1, 1, 1]);
    tf.dispose([a, b, x, w, g]);
  },
});

Deno.test({
  name: "every native kernel agrees with the stock path on tensors placed past 2 GiB of wasm heap",
  ignore: !NATIVE_BUILT,
  fn: async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("./testdata/high_offsets.ts", import.meta.url).pathname],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert(out.success, stderr);
    const r = JSON.parse(new TextDecoder().decode(out.stdout));
    assert(r.lowestOffset > 2 ** 31, `tensors were not past 2 GiB: lowest offset ${r.lowestOffset}`);
    assertEquals(r.failures, []);
    assert(r.checked >= 10, `only ${r.checked} kernels checked`);
  },
});
