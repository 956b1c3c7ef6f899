/**
 * Loads the lab's native kernel library, `build/native/libharnesslab_kernels.so`
 * (C in ./c/, compiled by scripts/setup.sh with gcc against Debian's
 * libopenblas0-pthread), through Deno's FFI (`--allow-ffi`; deno.json's tasks
 * run with -A).
 *
 * Before the library (and with it OpenBLAS) loads, OpenBLAS is held to one
 * thread (a sweep runs one process per core; more threads oversubscribe) and,
 * on CPUs with AVX2 and FMA, to its Haswell kernels, so sgemm results do not
 * depend on which x86-64 machine ran them (OpenBLAS otherwise picks kernels by
 * CPU model). An explicit OPENBLAS_NUM_THREADS or OPENBLAS_CORETYPE wins.
 *
 * `loadNative()` never throws: it returns the symbols, or one line saying why
 * not (HARNESSLAB_NATIVE=off, no library, no FFI permission, an old build).
 */
import { PROJECT_ROOT } from "../paths.ts";

/** The ABI version this code expects (HL_ABI_VERSION in c/hl.h). */
export const NATIVE_ABI_VERSION = 2;

/** Where scripts/setup.sh puts the compiled library. */
export const NATIVE_LIBRARY = `${PROJECT_ROOT}build/native/libharnesslab_kernels.so`;

const H = "buffer", U = "u32", I = "i32", F = "f32";
const SYMBOLS = {
  hl_abi_version: { parameters: [], result: "i32" },
  hl_init: { parameters: [], result: "pointer" },
  hl_batch_matmul: { parameters: [H, U, U, U, I, I, I, I, I, I, "buffer"], result: "i32" },
  hl_linear: { parameters: [H, U, U, U, I, U, I, I, I], result: "i32" },
  hl_linear_grad: { parameters: [H, U, U, U, U, U, U, I, I, I, I], result: "i32" },
  hl_colsum: { parameters: [H, U, U, I, I], result: "i32" },
  hl_sum_squares: { parameters: [H, "buffer", I], result: "f64" },
  hl_adamw: { parameters: [H, "buffer", "buffer", I, F, F, F, F, F, F, F, F, F, F, I], result: "i32" },
  hl_layernorm: { parameters: [H, U, U, U, I, U, I, I, F], result: "i32" },
  hl_layernorm_grad: { parameters: [H, U, U, U, U, U, U, I, I, I, F], result: "i32" },
  hl_gelu: { parameters: [H, U, U, U, I], result: "i32" },
  hl_gelu_grad: { parameters: [H, U, U, U, U, I], result: "i32" },
  hl_attention: { parameters: [H, U, U, U, U, I, I, I, I, I, F], result: "i32" },
  hl_attention_grad: { parameters: [H, U, U, U, U, U, I, I, I, I, I, F], result: "i32" },
  hl_decode_step: { parameters: [H, "buffer", I, I, I, I, I, I, I, I, I, I, F, F], result: "i32" },
  hl_embed: { parameters: [H, U, U, I, U, U, I, I, U, I, I], result: "i32" },
  hl_embed_grad: { parameters: [H, U, U, U, I, I, I], result: "i32" },
  hl_log_softmax: { parameters: [H, U, U, I, I], result: "i32" },
  hl_log_softmax_grad: { parameters: [H, U, U, U, I, I], result: "i32" },
  hl_target_log_prob: { parameters: [H, U, U, U, I, I], result: "i32" },
  hl_target_log_prob_grad: { parameters: [H, U, U, U, U, I, I], result: "i32" },
} as const;

/** The library's functions (see c/*.c for what each computes). */
export type NativeSymbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** A loaded library and the OpenBLAS kernel family it runs. */
export interface NativeLibrary {
  symbols: NativeSymbols;
  /** OpenBLAS's core name, e.g. "Haswell". */
  blasCore: string;
}

let loaded: NativeLibrary | string | undefined;

/** Environment variable that turns the native kernels off (`HARNESSLAB_NATIVE=off`). */
export const NATIVE_ENV = "HARNESSLAB_NATIVE";

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** Hold OpenBLAS to one thread and, where the CPU allows, to its Haswell kernels (see the header). */
function pinOpenBlas(): void {
  try {
    if (!env("OPENBLAS_NUM_THREADS")) Deno.env.set("OPENBLAS_NUM_THREADS", "1");
    if (!env("OPENBLAS_CORETYPE")) {
      const flags = Deno.readTextFileSync("/proc/cpuinfo").match(/^flags\s*:(.*)$/m)?.[1] ?? "";
      if (/\bavx2\b/.test(flags) && /\bfma\b/.test(flags)) Deno.env.set("OPENBLAS_CORETYPE", "Haswell");
    }
  } catch {
    // no env or read permission: OpenBLAS keeps its defaults (hl_init still sets one thread)
  }
}

/** The library's symbols, or one line saying why it is not available. Loads once per process. */
export function loadNative(): NativeLibrary | string {
  if (loaded !== undefined) return loaded;
  const off = env(NATIVE_ENV);
  if (off && /^(0|off|false|no)$/i.test(off)) return loaded = `turned off by ${NATIVE_ENV}=${off}`;
  try {
    Deno.statSync(NATIVE_LIBRARY);
  } catch {
    return loaded = `${NATIVE_LIBRARY.slice(PROJECT_ROOT.length)} is not built ` +
      "(run `bash scripts/setup.sh`: it compiles lib/core/native/c with gcc against libopenblas0-pthread)";
  }
  pinOpenBlas();
  try {
    const lib = Deno.dlopen(NATIVE_LIBRARY, SYMBOLS);
    const abi = lib.symbols.hl_abi_version();
    if (abi !== NATIVE_ABI_VERSION) {
      lib.close();
      return loaded = `${NATIVE_LIBRARY.slice(PROJECT_ROOT.length)} is ABI ${abi}, this code needs ` +
        `${NATIVE_ABI_VERSION} (run \`bash scripts/setup.sh\` to rebuild it)`;
    }
    const core = lib.symbols.hl_init();
    const blasCore = core ? Deno.UnsafePointerView.getCString(core) : "unknown";
    return loaded = { symbols: lib.symbols, blasCore };
  } catch (e) {
    const msg = String((e as Error)?.message ?? e).split("\n")[0].slice(0, 160);
    if (e instanceof Deno.errors.PermissionDenied || /ffi/i.test(msg) && /permission|allow/i.test(msg)) {
      return loaded = "FFI is not permitted (run Deno with --allow-ffi or -A)";
    }
    return loaded = `${NATIVE_LIBRARY.slice(PROJECT_ROOT.length)} failed to load (${msg}; ` +
      "run `bash scripts/setup.sh` to rebuild it)";
  }
}
