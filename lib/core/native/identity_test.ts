import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "@std/assert";
import { useWasm } from "../../../tests/helpers/tiny.ts";
import { NATIVE_BUILT } from "../../../tests/helpers/native_check.ts";
import type { WasmBackend } from "./heap.ts";

await useWasm();

Deno.test({
  name: "Identity shares the input's data: no copy, counted references, no leak",
  ignore: !NATIVE_BUILT,
  fn: () => {
    const backend = tf.backend() as unknown as WasmBackend;
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    assertEquals(backend.dataIdMap.get(y.dataId), backend.dataIdMap.get(x.dataId));
    assertEquals(backend.refCount(x.dataId), 2);
    x.dispose();
    assertEquals(Array.from(y.dataSync()), [1, 2, 3]); // still alive through y
    y.dispose();
    assertEquals(tf.memory().numTensors, before);
    const s = tf.clone(tf.tensor1d(["a", "b"], "string"));
    assertEquals(s.arraySync(), ["a", "b"]);
  },
});
