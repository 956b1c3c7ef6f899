// Backends are process-global in tfjs, so each case runs in its own process.
import { assertEquals, assertStringIncludes } from "@std/assert";

async function pick(env: Record<string, string>, prefer = "") {
  const script = new URL("./testdata/which_backend.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, prefer],
    env,
    stdout: "piped",
    stderr: "null",
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("without a GPU or libtensorflow the lab picks wasm, with a one-line notice per skipped backend", async () => {
  const b = await pick({ HARNESSLAB_BACKEND: "" });
  assertEquals(b.name, "wasm");
  assertEquals(b.notices.length >= 1 && b.notices.every((n: string) => !n.includes("\n")), true);
  assertStringIncludes(b.notices[0], "native TensorFlow backend not installed");
});

Deno.test("HARNESSLAB_BACKEND and the config field override the choice", async () => {
  assertEquals((await pick({ HARNESSLAB_BACKEND: "cpu" })).name, "cpu");
  assertEquals((await pick({}, "cpu")).name, "cpu");
});

Deno.test("an unknown or unavailable backend is a LabError listing the options", async () => {
  assertStringIncludes(
    (await pick({ HARNESSLAB_BACKEND: "tpu" })).error,
    "unknown backend 'tpu'. Fix: use one of tensorflow, webgpu, wasm, cpu",
  );
  assertStringIncludes(
    (await pick({}, "tensorflow")).error,
    "backend 'tensorflow' was requested but is not available",
  );
});
