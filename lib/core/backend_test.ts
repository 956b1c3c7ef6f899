// Backends are process-global in tfjs, so each case runs in its own process
// (testdata/which_backend.ts prints the choice, its info and timings as JSON).
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { NATIVE_LIBRARY } from "./native/mod.ts";

/** Whether scripts/setup.sh built the native kernels here (CI does); both cases are checked. */
const nativeBuilt = await Deno.stat(NATIVE_LIBRARY).then(() => true, () => false);

async function pick(env: Record<string, string>, prefer = "") {
  const script = new URL("./testdata/which_backend.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, prefer],
    env: { HARNESSLAB_BACKEND: "", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  // quiet: no notices, and tfjs's own banners and warnings stay muted
  assert(!/backend:|Hi, looks like|performance of synchronously/.test(stderr), stderr);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("without a GPU or libtensorflow the lab picks wasm, one line of notice per skipped backend", async () => {
  const b = await pick({});
  assertEquals([b.name, b.before, b.after], ["wasm", null, "wasm"]);
  const { blasCore, ...info } = b.info;
  assertEquals(info, {
    name: "wasm",
    tfjsVersion: "4.22.0",
    threads: 1,
    wasmSimd: true,
    kernels: nativeBuilt ? "openblas" : "stock",
  });
  assertEquals(typeof blasCore, nativeBuilt ? "string" : "undefined");
  assertEquals(b.label, nativeBuilt ? "wasm+openblas" : "wasm");
  assertEquals(
    b.notices.map((n: string) => n.split(":")[0]),
    nativeBuilt ? ["tensorflow", "webgpu"] : ["tensorflow", "webgpu", "wasm"],
  );
  assert(b.notices.every((n: string) => !n.includes("\n") && n.length < 300), b.notices.join(" | "));
  assertStringIncludes(b.notices[0], "@tensorflow/tfjs-node-gpu");
  assert(b.firstMs < 5000, `selection took ${b.firstMs} ms`); // the GPU probe must not hang
  assert(b.sameChoice && b.secondMs < 5, `second call took ${b.secondMs} ms`); // idempotent and cheap
});

Deno.test("HARNESSLAB_NATIVE=off runs tfjs-wasm's own kernels, with one line saying so", async () => {
  const b = await pick({ HARNESSLAB_NATIVE: "off" });
  assertEquals([b.name, b.label, b.info.kernels, b.info.blasCore], ["wasm", "wasm", "stock", undefined]);
  assertEquals(
    b.notices.at(-1),
    "wasm: native kernels off (turned off by HARNESSLAB_NATIVE=off); tfjs-wasm's own kernels run",
  );
});

Deno.test("HARNESSLAB_BACKEND and the config field override the choice; the field wins", async () => {
  const [env, field, auto, both] = await Promise.all([
    pick({ HARNESSLAB_BACKEND: "cpu" }),
    pick({}, "cpu"),
    pick({ HARNESSLAB_BACKEND: "cpu" }, "auto"),
    pick({ HARNESSLAB_BACKEND: "cpu" }, "wasm"),
  ]);
  assertEquals([env.name, field.name, auto.name, both.name], ["cpu", "cpu", "cpu", "wasm"]);
  assertEquals(env.info, { name: "cpu", tfjsVersion: "4.22.0", threads: 1 });
  assertEquals(env.notices, []);
});

Deno.test("an unknown or unavailable backend is a LabError listing the options", async () => {
  const [bogus, native] = await Promise.all([pick({ HARNESSLAB_BACKEND: "tpu" }), pick({}, "tensorflow")]);
  assertStringIncludes(bogus.error, "unknown backend 'tpu'. Fix: use one of tensorflow, webgpu, wasm, cpu");
  assertStringIncludes(native.error, "backend 'tensorflow' was requested but is not available: ");
  assertStringIncludes(native.error, "Fix: use one of the available backends: wasm, cpu");
  assert(!native.error.includes("\n"), native.error);
});
