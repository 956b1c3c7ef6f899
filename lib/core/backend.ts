/**
 * Backend selection: the fastest TensorFlow.js backend that actually works.
 * Order: "tensorflow" (native libtensorflow via @tensorflow/tfjs-node-gpu, then
 * @tensorflow/tfjs-node; optional, used only when their native binding is
 * present), "webgpu" (only on a hardware adapter: a software one such as
 * lavapipe/llvmpipe is slower than wasm), "wasm" (SIMD, single thread), "cpu".
 * A backend "works" when a 2x2 matMul gives the right numbers after setBackend.
 * Each skipped backend yields one line of notice (notices.ts: stderr, or a
 * notebook's run log); none is ever downloaded.
 *
 * On wasm, the native kernel provider (lib/core/native: the lab's C kernels on
 * OpenBLAS through Deno's FFI) is installed when its library loads; the
 * backend's `label` is then "wasm+openblas" and runs record that. When it does
 * not load, one notice line says why and tfjs-wasm's own kernels run.
 *
 * Overrides: `prefer` (a config's `backend` field; "auto" = none) wins over
 * $HARNESSLAB_BACKEND, since a config's field is part of its run key. Naming
 * an unavailable backend is a LabError listing the available ones, except
 * that "webgpu" on a software adapter is allowed when asked for by name.
 *
 * Departs from plain tfjs in two ways: tfjs-node(-gpu) is imported lazily and
 * only after its binding file is seen (importing it without one costs ~0.3 s
 * and throws a three-line error), and tfjs's "use tfjs-node" banner is muted.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { backendInfo, selectBackend } from "./backend.ts";
 * const { name } = await selectBackend({ quiet: true }); // "wasm" on a machine without GPU or libtensorflow
 * assertEquals(backendInfo().name, name);
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { LabError } from "./errors.ts";
import { sayNotice } from "./notices.ts";
import { installNativeKernels, nativeInfo } from "./native/mod.ts";

/** Backends in the order they are tried. */
export const BACKENDS = ["tensorflow", "webgpu", "wasm", "cpu"] as const;
/** A backend the lab knows. */
export type BackendName = typeof BACKENDS[number];

/** The selected backend and one line per backend skipped on the way. */
export interface BackendChoice {
  name: BackendName;
  /** What a run records: the name, plus "+openblas" when the native kernels run (e.g. "wasm+openblas"). */
  label: string;
  notices: string[];
}

/** What a run records about the backend it ran on. */
export interface BackendInfo {
  name: BackendName;
  tfjsVersion: string;
  /** wasm only: whether SIMD is on. */
  wasmSimd?: boolean;
  /** CPU threads the backend computes with (1 for wasm and cpu here). */
  threads: number;
  /** webgpu only: the adapter's description. */
  device?: string;
  /** wasm only: "openblas" when the native kernel provider runs, else "stock". */
  kernels?: "openblas" | "stock";
  /** wasm with native kernels: OpenBLAS's kernel family (e.g. "Haswell"). */
  blasCore?: string;
}

let chosen: { choice: BackendChoice; info: BackendInfo } | undefined;
let pending: Promise<BackendChoice> | undefined;
let gpuDevice: string | undefined;

/** Activate `name` and run the smoke check; null when it works, else why not. */
async function smokeCheck(name: string): Promise<string | null> {
  // Warnings are muted while the backend starts and first runs (the cpu
  // backend's "install tfjs-node" banner): the lab prints its own notices.
  // IS_TEST also turns on leak checks, so it is restored afterwards.
  const wasTest = tf.env().getBool("IS_TEST");
  try {
    tf.env().set("IS_TEST", true);
    if (!(await tf.setBackend(name))) return `${name} backend failed to initialise`;
    await tf.ready();
    const c = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]])));
    const out = Array.from(await c.data());
    c.dispose();
    const ok = [19, 22, 43, 50].every((v, i) => Math.abs(out[i] - v) < 1e-4);
    return ok ? null : `${name} backend failed its smoke check (2x2 matMul gave ${out.join(",")})`;
  } catch (e) {
    return `${name} backend failed its smoke check (${firstLine(e)})`;
  } finally {
    tf.env().set("IS_TEST", wasTest);
  }
}

/** The first line of an error's message, at most 160 characters. */
function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split("\n")[0].trim().slice(0, 160);
}

/** Does the package at `dir` have its native binding (lib/napi-vN/tfjs_binding.node)? */
async function hasBinding(dir: string): Promise<boolean> {
  try {
    for await (const e of Deno.readDir(`${dir}lib`)) {
      const file = `${dir}lib/${e.name}/tfjs_binding.node`;
      if (e.name.startsWith("napi-v") && await Deno.stat(file).then(() => true, () => false)) return true;
    }
  } catch {
    // no lib/: the install script never ran
  }
  return false;
}

/** Register the native backend; returns why not (one line) or null. */
async function tryNative(): Promise<string | null> {
  const unbuilt: string[] = [], why: string[] = [];
  for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
    const dir = new URL(`../../node_modules/${pkg}/`, import.meta.url).pathname;
    if (!(await Deno.stat(dir).then(() => true, () => false))) continue;
    if (!(await hasBinding(dir))) {
      unbuilt.push(pkg); // importing it would only throw a three-line "can not be found"
      continue;
    }
    try {
      const specifier = pkg; // not a literal: keeps the package out of the static module graph
      await import(specifier);
      if (tf.findBackend("tensorflow")) return null;
      why.push(`${pkg} loaded but registered no "tensorflow" backend`);
    } catch (e) {
      why.push(`${pkg} is installed but failed to load (${firstLine(e)})`);
    }
  }
  if (unbuilt.length) {
    why.push(
      `${unbuilt.join(" and ")} installed without the native binding ` +
        "(lib/napi-v*/tfjs_binding.node; its install script downloads libtensorflow)",
    );
  }
  return why.length ? why.join("; ") : "@tensorflow/tfjs-node(-gpu) not installed (optional native backend)";
}

/** null when a hardware WebGPU adapter exists, else why not (one line). */
async function hardwareGpu(): Promise<string | null> {
  // deno-lint-ignore no-explicit-any
  const gpu = (navigator as any).gpu;
  if (!gpu) return "no WebGPU in this runtime";
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
    if (!adapter) return "no WebGPU adapter";
    const info = adapter.info ?? {};
    const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(" ");
    gpuDevice = info.description || text;
    if (
      info.isFallbackAdapter || adapter.isFallbackAdapter ||
      /llvmpipe|lavapipe|swiftshader|software|\bcpu\b/i.test(text)
    ) {
      return `WebGPU adapter is software (${text})`;
    }
    return null;
  } catch (e) {
    return `WebGPU adapter request failed (${firstLine(e)})`;
  }
}

/** Activate `name`; returns why it is unavailable, or null. */
async function enable(name: BackendName, forced: boolean, notices: string[]): Promise<string | null> {
  if (name === "tensorflow") {
    const why = await tryNative();
    if (why) return why;
  }
  if (name === "webgpu") {
    const why = await hardwareGpu();
    if (why && !(forced && why.startsWith("WebGPU adapter is software"))) return why;
    if (why) notices.push(`${why}; using it because it was asked for by name`);
    try {
      await import("@tensorflow/tfjs-backend-webgpu");
    } catch (e) {
      return `@tensorflow/tfjs-backend-webgpu failed to load (${firstLine(e)})`;
    }
  }
  return await smokeCheck(name);
}

async function describe(name: BackendName): Promise<BackendInfo> {
  const info: BackendInfo = { name, tfjsVersion: tf.version.tfjs, threads: 1 };
  if (name === "wasm") {
    info.wasmSimd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
    info.threads = getThreadsCount();
    const native = nativeInfo();
    info.kernels = native ? "openblas" : "stock";
    if (native) info.blasCore = native.blasCore;
  } else if (name === "tensorflow") info.threads = navigator.hardwareConcurrency;
  else if (name === "webgpu") info.device = gpuDevice;
  return info;
}

async function select(forced: string | undefined, quiet: boolean): Promise<BackendChoice> {
  const notices: string[] = [];
  const done = async (name: BackendName) => {
    if (name === "wasm") {
      const why = installNativeKernels();
      if (why) notices.push(`wasm: native kernels off (${why}); tfjs-wasm's own kernels run`);
    }
    const choice = { name, label: name === "wasm" && nativeInfo() ? "wasm+openblas" : name, notices };
    chosen = { choice, info: await describe(name) };
    if (!quiet) { for (const n of notices) sayNotice(`backend: ${n}`); } // stderr, or a notebook's run log
    return choice;
  };
  if (forced) {
    if (!(BACKENDS as readonly string[]).includes(forced)) {
      throw new LabError(
        `unknown backend '${forced}'`,
        `use one of ${BACKENDS.join(", ")} (HARNESSLAB_BACKEND or the config's backend field)`,
      );
    }
    const why = await enable(forced as BackendName, true, notices);
    if (!why) return await done(forced as BackendName);
    const available: string[] = [];
    for (const other of BACKENDS) {
      if (other !== forced && !(await enable(other, false, []))) available.push(other);
    }
    chosen = undefined; // probing the others left some backend active; none is "selected"
    throw new LabError(
      `backend '${forced}' was requested but is not available: ${why}`,
      `use one of the available backends: ${
        available.join(", ") || "none"
      } (or unset HARNESSLAB_BACKEND / the backend field)`,
    );
  }
  for (const name of BACKENDS) {
    const why = await enable(name, false, notices);
    if (!why) return await done(name);
    notices.push(`${name}: ${why}`);
  }
  throw new LabError(
    `no TensorFlow.js backend works (${notices.join("; ")})`,
    "reinstall dependencies with `deno install`",
  );
}

/**
 * Select and activate a backend. Idempotent: a second call returns the first
 * choice at once, unless it forces a different backend.
 */
export async function selectBackend(opts: { prefer?: string; quiet?: boolean } = {}): Promise<BackendChoice> {
  const prefer = opts.prefer === "auto" ? undefined : opts.prefer;
  const forced = prefer || Deno.env.get("HARNESSLAB_BACKEND") || undefined;
  if (chosen && (!forced || forced === chosen.choice.name)) return chosen.choice;
  while (pending) await pending.catch(() => {}); // concurrent first calls share one selection
  if (chosen && (!forced || forced === chosen.choice.name)) return chosen.choice;
  pending = select(forced, opts.quiet ?? false);
  try {
    return await pending;
  } finally {
    pending = undefined;
  }
}

/** The backend selectBackend chose, or null before any selection. */
export function currentBackend(): BackendName | null {
  return chosen?.choice.name ?? null;
}

/** Name, tfjs version, wasm SIMD and threads of the selected backend, for a run's record. */
export function backendInfo(): BackendInfo {
  if (!chosen) throw new LabError("no backend selected yet", "await selectBackend() before backendInfo()");
  return { ...chosen.info };
}
