// The lab without the native kernels (a machine without the library, the browser): the model, sampler,
// optimizer and the pinned SFT run, on tfjs-wasm's own kernels, in a child `deno test`
// with HARNESSLAB_NATIVE=off. (Where the library is not built, the whole suite already runs so.)
import { assert } from "@std/assert";
import { PROJECT_ROOT } from "../paths.ts";
import { NATIVE_BUILT } from "../../../tests/helpers/native_check.ts";

const FILES = [
  "lib/model/gpt_test.ts",
  "lib/sample/generate_test.ts",
  "lib/train/optimizer_test.ts",
  "lib/train/sft_golden_test.ts",
];

Deno.test({
  name: "with HARNESSLAB_NATIVE=off the model, sampler, optimizer and pinned SFT run pass on stock kernels",
  ignore: !NATIVE_BUILT,
  fn: async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-A", "--no-check", ...FILES], // this suite type-checks them already
      cwd: PROJECT_ROOT,
      env: { HARNESSLAB_NATIVE: "off", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert(out.success, text.split("\n").filter((l) => /FAILED|error/i.test(l)).slice(0, 20).join("\n"));
    assert(/ok \| \d+ passed \| 0 failed/.test(text), text.slice(-500));
  },
});
