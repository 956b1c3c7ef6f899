// Test helper: prints the backend selectBackend picks, its info, and how long
// a later call took (or the LabError message). Arg 1: the `prefer` option.
import { backendInfo, currentBackend, selectBackend } from "../backend.ts";
import { LabError } from "../errors.ts";
try {
  const before = currentBackend();
  const t0 = performance.now();
  const opts = { quiet: true, prefer: Deno.args[0] || undefined };
  const [b, twin] = await Promise.all([selectBackend(opts), selectBackend(opts)]); // one selection, shared
  const t1 = performance.now();
  const again = await selectBackend(opts);
  const t2 = performance.now();
  console.log(JSON.stringify({
    ...b,
    info: backendInfo(),
    before,
    after: currentBackend(),
    sameChoice: again === b && twin === b,
    firstMs: t1 - t0,
    secondMs: t2 - t1,
  }));
} catch (e) {
  if (!(e instanceof LabError)) throw e;
  console.log(JSON.stringify({ error: e.message }));
}
