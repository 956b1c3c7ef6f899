// Test helper: prints the backend selectBackend picks (or the LabError message).
import { selectBackend } from "../backend.ts";
import { LabError } from "../errors.ts";
try {
  const b = await selectBackend({ quiet: true, prefer: Deno.args[0] || undefined });
  console.log(JSON.stringify(b));
} catch (e) {
  if (!(e instanceof LabError)) throw e;
  console.log(JSON.stringify({ error: e.message }));
}
