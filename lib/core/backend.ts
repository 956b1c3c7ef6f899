/**
 * Backend selection: the fastest TensorFlow.js backend that actually works.
 * Order: "tensorflow" (native libtensorflow via @tensorflow/tfjs-node-gpu, then
 * @tensorflow/tfjs-node; optional, used only when installed with their native
 * binding), "webgpu" (only on a hardware adapter: software Vulkan such as
 * lavapipe is slower than wasm), "wasm" (SIMD, single thread), "cpu".
 * HARNESSLAB_BACKEND or `prefer` (a config's `backend` field) overrides.
 * A backend "works" when a 2x2 matmul gives the right numbers after setBackend.
 * A missing optional backend is a one-line notice, never a crash.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { LabError } from "./errors.ts";

export const BACKENDS = ["tensorflow", "webgpu", "wasm", "cpu"] as const;
export type BackendName = typeof BACKENDS[number];

export interface BackendChoice {
  name: BackendName;
  notices: string[];
}

let chosen: BackendChoice | undefined;

async function works(name: string): Promise<boolean> {
  try {
    // The cpu backend prints a banner urging tfjs-node unless IS_TEST; the lab
    // prints its own one-line notices. IS_TEST also turns on leak checks, so
    // it is set only while the backend initialises.
    const wasTest = tf.env().getBool("IS_TEST");
    tf.env().set("IS_TEST", true);
    const ok = await tf.setBackend(name);
    await tf.ready();
    tf.env().set("IS_TEST", wasTest);
    if (!ok) return false;
    const out = tf.tidy(() =>
      tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]])).dataSync()
    );
    return [19, 22, 43, 50].every((v, i) => Math.abs(out[i] - v) < 1e-4);
  } catch {
    return false;
  }
}

/** Try to register the native backend; returns a notice when it is unavailable. */
async function tryNative(): Promise<string | null> {
  for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
    const dir = new URL(`../../node_modules/${pkg}/`, import.meta.url).pathname;
    try {
      await Deno.stat(dir);
    } catch {
      continue; // not installed: the usual case
    }
    try {
      await import(`npm:${pkg}@4.22.0`);
      if (tf.findBackend("tensorflow")) return null;
    } catch (e) {
      return `${pkg} is installed but not loadable (${
        String((e as Error).message).split("\n")[0].slice(0, 120)
      })`;
    }
  }
  return "native TensorFlow backend not installed (optional: needs libtensorflow; see README)";
}

async function hardwareGpu(): Promise<string | null> {
  // deno-lint-ignore no-explicit-any
  const gpu = (navigator as any).gpu;
  if (!gpu) return "no WebGPU in this runtime";
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return "no WebGPU adapter";
    const info = adapter.info ?? {};
    const text = `${info.vendor ?? ""} ${info.architecture ?? ""} ${info.device ?? ""} ${
      info.description ?? ""
    }`.toLowerCase();
    if (info.isFallbackAdapter || /llvmpipe|lavapipe|swiftshader|software|cpu/.test(text)) {
      return `WebGPU adapter is software (${text.trim()})`;
    }
    return null;
  } catch (e) {
    return `WebGPU adapter request failed (${(e as Error).message})`;
  }
}

async function enable(name: BackendName, forced: boolean): Promise<string | null> {
  if (name === "tensorflow") {
    const why = await tryNative();
    if (why) return why;
  }
  if (name === "webgpu") {
    const why = await hardwareGpu();
    if (why && !(forced && why.startsWith("WebGPU adapter is software"))) return why;
    if (why) console.error(`backend: ${why}; using it because it was requested`);
    await import("@tensorflow/tfjs-backend-webgpu");
  }
  return (await works(name)) ? null : `${name} backend failed its smoke check`;
}

/**
 * Select and activate a backend (idempotent). `prefer` or HARNESSLAB_BACKEND
 * forces one; forcing an unavailable backend is a LabError.
 */
export async function selectBackend(opts: { prefer?: string; quiet?: boolean } = {}): Promise<BackendChoice> {
  const forced = opts.prefer ?? Deno.env.get("HARNESSLAB_BACKEND") ?? undefined;
  if (chosen && (!forced || forced === chosen.name)) return chosen;
  if (forced) {
    if (!(BACKENDS as readonly string[]).includes(forced)) {
      throw new LabError(
        `unknown backend '${forced}'`,
        `use one of ${BACKENDS.join(", ")} (HARNESSLAB_BACKEND or the config's backend field)`,
      );
    }
    const why = await enable(forced as BackendName, true);
    if (why) {
      throw new LabError(
        `backend '${forced}' was requested but is not available: ${why}`,
        `unset HARNESSLAB_BACKEND / the backend field, or use one of wasm, cpu`,
      );
    }
    chosen = { name: forced as BackendName, notices: [] };
    return chosen;
  }
  const notices: string[] = [];
  for (const name of BACKENDS) {
    const why = await enable(name, false);
    if (!why) {
      chosen = { name, notices };
      if (!opts.quiet) { for (const n of notices) console.error(`backend: ${n}`); }
      return chosen;
    }
    notices.push(why);
  }
  throw new LabError(
    `no TensorFlow.js backend works:\n${notices.join("\n")}`,
    "reinstall dependencies with `bash scripts/setup.sh`",
  );
}
