/**
 * Runs the PyTorch peer (gpt_torch.py) with Debian's /usr/bin/python3, and
 * says whether it can run at all (python3-torch installed). Tests that need it
 * are `ignore`d with a printed reason when it cannot.
 */

export const PYTHON = "/usr/bin/python3";

async function hasTorch(): Promise<boolean> {
  try {
    const out = await new Deno.Command(PYTHON, {
      args: ["-c", "import torch"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return out.success;
  } catch {
    return false;
  }
}

/** True when /usr/bin/python3 cannot import torch; print why PyTorch checks are skipped. */
export const torchMissing = !(await hasTorch());
if (torchMissing) {
  console.error(
    `tests/reference: ${PYTHON} cannot import torch, so the PyTorch cross-checks are SKIPPED. ` +
      "Install it: bash scripts/setup.sh (or apt-get install -y --no-install-recommends python3-torch)",
  );
}

/** Log-probs [B][T][V] from gpt_torch.py for a saved model dir; rejects with its stderr on failure. */
export async function runTorch(
  modelDir: string,
  rows: number[][],
  dtype: "float32" | "float64",
): Promise<number[][][]> {
  const out = await new Deno.Command(PYTHON, {
    args: [
      new URL("./gpt_torch.py", import.meta.url).pathname,
      "--model",
      modelDir,
      "--dtype",
      dtype,
      ...rows.flatMap((r) => ["--tokens", r.join(",")]),
    ],
    stdout: "piped",
    stderr: "piped",
    env: { OMP_NUM_THREADS: "1" },
  }).output();
  assertPeerSucceeded(out);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** A failed PyTorch run is a test failure carrying the script's stderr. */
function assertPeerSucceeded(out: Deno.CommandOutput): void {
  if (!out.success) throw new Error(`gpt_torch.py failed: ${new TextDecoder().decode(out.stderr)}`);
}
