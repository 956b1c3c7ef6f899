/** The CLI as a user runs it: `lab(...args)` runs `deno task lab` in a subprocess on wasm. */
const MAIN = new URL("../../lib/cli/main.ts", import.meta.url).pathname;

/** Exit code, stdout and stderr of `deno run -A lib/cli/main.ts ...args`. */
export async function lab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { HARNESSLAB_BACKEND: "wasm" },
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}
