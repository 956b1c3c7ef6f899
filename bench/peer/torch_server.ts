/**
 * Client for bench/torch_peer.py: starts Debian's /usr/bin/python3 with the
 * peer script once and exchanges one JSON line per command, so measurements
 * alternate between us and PyTorch without Python's start-up in any of them.
 */
import { LabError } from "../../lib/core/errors.ts";
import { readLines } from "../../lib/core/worker_pool.ts";

export const PYTHON = "/usr/bin/python3";
const SCRIPT = new URL("../torch_peer.py", import.meta.url).pathname;

/** Fail with the install command when python3-torch is missing. */
export async function checkTorch(): Promise<void> {
  const out = await new Deno.Command(PYTHON, {
    args: ["-c", "import torch, numpy"],
    stdout: "null",
    stderr: "null",
  })
    .output().catch(() => undefined);
  if (!out?.success) {
    throw new LabError(
      `${PYTHON} cannot import torch and numpy`,
      "install the PyTorch peer: apt-get install -y --no-install-recommends python3-torch libopenblas0-pthread " +
        "(scripts/setup.sh does this); the benchmark installs nothing by itself",
    );
  }
}

export class TorchPeer {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #lines: AsyncIterator<string>;

  constructor(threads: number) {
    this.#child = new Deno.Command(PYTHON, {
      args: [SCRIPT],
      env: { HARNESSLAB_PEER_THREADS: String(threads) },
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#lines = readLines(this.#child.stdout);
  }

  async send(cmd: Record<string, unknown>): Promise<Record<string, number>> {
    await this.#writer.write(new TextEncoder().encode(JSON.stringify(cmd) + "\n"));
    const { value, done } = await this.#lines.next();
    if (done) {
      throw new LabError(
        `the PyTorch peer exited during ${cmd.cmd}`,
        "run bench/torch_peer.py by hand to see why",
      );
    }
    const reply = JSON.parse(value);
    if (reply.error) {
      throw new LabError(`the PyTorch peer failed ${cmd.cmd}: ${reply.error}`, "see bench/torch_peer.py");
    }
    return reply;
  }

  async close(): Promise<void> {
    await this.#writer.close();
    await this.#child.status;
  }
}
