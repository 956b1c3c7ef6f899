/**
 * Independent jobs in parallel worker processes: each job is a fresh
 * `deno run -A MODULE` (single-threaded TensorFlow.js, so N workers use N
 * cores), given one JSON line on stdin, answering with JSON lines on stdout:
 * `{"progress": {...}}` any number of times, then `{"done": ...}` or
 * `{"error": "..."}`. At most `concurrency` run at once. Processes, not Web
 * Workers: tfjs's wasm backend keeps global state, and a crashed or killed
 * worker cannot take the parent down.
 *
 * Worker modules answer through `serveWorker(handler)`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { defaultConcurrency } from "./worker_pool.ts";
 * assertEquals(defaultConcurrency(1), 1); // never more workers than jobs
 * ```
 */
import { LabError } from "./errors.ts";

export interface WorkerJob {
  /** Shown in errors and passed to the callbacks. */
  label: string;
  /** Absolute path of the worker module. */
  module: string;
  input: unknown;
}

export interface PoolOptions {
  /** Parallel workers (default: one per core, at most one per job). */
  concurrency?: number;
  onProgress?: (label: string, progress: unknown) => void;
  /** Awaited before the job counts as finished. */
  onDone?: (label: string, output: unknown) => void | Promise<void>;
  /** Extra environment for the workers. */
  env?: Record<string, string>;
}

/** One worker per core, at most one per job. */
export function defaultConcurrency(jobs: number): number {
  return Math.max(1, Math.min(jobs, navigator.hardwareConcurrency || 1));
}

/** Lines of a byte stream, decoded as UTF-8 (JSR's TextLineStream is out of reach here). */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buf = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      yield buf.slice(0, i);
      buf = buf.slice(i + 1);
    }
  }
  if (buf) yield buf;
}

async function runOne(job: WorkerJob, opts: PoolOptions): Promise<unknown> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", job.module],
    env: { NO_COLOR: "1", ...opts.env },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(JSON.stringify(job.input) + "\n"));
  await w.close();
  const stderr = new Response(child.stderr).text();
  let result: { done?: unknown; error?: string } | undefined;
  for await (const line of readLines(child.stdout)) {
    let msg: { progress?: unknown; done?: unknown; error?: string };
    try {
      msg = JSON.parse(line);
    } catch {
      continue; // a stray print in the worker is not a protocol message
    }
    if (msg.progress !== undefined) opts.onProgress?.(job.label, msg.progress);
    else if ("done" in msg || "error" in msg) result = msg;
  }
  const status = await child.status;
  const log = (await stderr).trim().split("\n").slice(-15).join("\n");
  if (result?.error !== undefined) {
    throw new LabError(`worker '${job.label}' failed: ${result.error}`, "run that job alone to debug it");
  }
  if (!status.success || result === undefined) {
    throw new LabError(
      `worker '${job.label}' exited with code ${status.code} before answering${log ? `:\n${log}` : ""}`,
      "run that job alone to debug it",
    );
  }
  await opts.onDone?.(job.label, result.done);
  return result.done;
}

/** Run every job; outputs in job order. The first failure rejects after the running jobs finish. */
export async function runPool(jobs: readonly WorkerJob[], opts: PoolOptions = {}): Promise<unknown[]> {
  const n = Math.max(1, opts.concurrency ?? defaultConcurrency(jobs.length));
  const out = new Array<unknown>(jobs.length);
  let next = 0, failure: unknown;
  const lane = async () => {
    while (next < jobs.length && failure === undefined) {
      const i = next++;
      try {
        out[i] = await runOne(jobs[i], opts);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, lane));
  if (failure !== undefined) throw failure;
  return out;
}

/**
 * The worker side: read the job's input from stdin, run `handler` with a
 * progress callback, print its answer, exit. Errors become `{"error": ...}`.
 */
export async function serveWorker(
  handler: (input: unknown, progress: (p: unknown) => void) => Promise<unknown>,
): Promise<never> {
  const enc = new TextEncoder();
  const say = (m: unknown) => Deno.stdout.writeSync(enc.encode(JSON.stringify(m) + "\n"));
  try {
    const text = await new Response(Deno.stdin.readable).text();
    say({ done: await handler(JSON.parse(text), (p) => say({ progress: p })) });
    Deno.exit(0);
  } catch (e) {
    say({ error: e instanceof Error ? e.message : String(e) });
    Deno.exit(1);
  }
}
