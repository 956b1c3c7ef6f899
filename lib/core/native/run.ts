/** Invoking the lab's own kernels through the tfjs engine, so they are taped for gradients and profiled. */
import * as tf from "@tensorflow/tfjs";

/** Run a registered kernel by name; inputs that are undefined are left out (tfjs's tape needs every input defined). */
export function runKernel<T extends tf.Tensor | tf.Tensor[]>(
  name: string,
  inputs: Record<string, tf.Tensor | undefined>,
  attrs: tf.NamedAttrMap = {},
): T {
  const defined: tf.NamedTensorMap = {};
  for (const [k, v] of Object.entries(inputs)) if (v) defined[k] = v;
  return tf.engine().runKernel(name, defined, attrs) as T;
}
