import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface RunOptions {
  /** Extra environment for the child; merged over the parent's. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Called per line of stdout and stderr, as they arrive. */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
  /** Written to the child's stdin, then closed. */
  input?: string | Buffer;
  /** Run the child as this uid/gid (needs root); the local executor's detector and builder. */
  uid?: number;
  gid?: number;
  /** Replace the parent's environment instead of merging over it (`env` then is the whole environment). */
  replaceEnv?: boolean;
  /** Aborting it sends the child SIGTERM (a cancelled build stops its lifecycle processes). */
  signal?: AbortSignal;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a program; injected everywhere so the core's orchestration can be tested with fakes. */
export type ProcessRunner = (
  command: string,
  args: readonly string[],
  opts?: RunOptions,
) => Promise<RunResult>;

export const runProcess: ProcessRunner = (command, args, opts = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.replaceEnv ? opts.env : { ...process.env, ...opts.env },
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
      stdio: ["pipe", "pipe", "pipe"],
      ...(opts.signal ? { signal: opts.signal, killSignal: "SIGTERM" as const } : {}),
    });
    const out: string[] = [];
    const err: string[] = [];
    const collect = (stream: NodeJS.ReadableStream, sink: string[], name: "stdout" | "stderr") =>
      createInterface({ input: stream }).on("line", (line) => {
        sink.push(line);
        opts.onLine?.(line, name);
      });
    collect(child.stdout, out, "stdout");
    collect(child.stderr, err, "stderr");
    // An abort is reported by "close" with the signal, like any killed child.
    child.on("error", (err) => {
      if (err.name !== "AbortError") reject(err);
    });
    child.on("close", (code, signal) =>
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout: out.join("\n"), stderr: err.join("\n") }),
    );
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });

/** Cleans up after a build that is being cancelled (SIGINT/SIGTERM): stops containers, removes volumes. */
export type CancelHook = (signal: NodeJS.Signals) => Promise<void> | void;

const hooks = new Set<CancelHook>();
const CANCEL_SIGNALS = ["SIGINT", "SIGTERM"] as const;
/** A cleanup that hangs must not keep a cancelled job alive: the runner kills it a little later anyway. */
const CANCEL_CLEANUP_MS = 20_000;
let cancelling = false;

function onSignal(signal: NodeJS.Signals): void {
  // The runner sends SIGINT, then SIGTERM a few seconds later: one cleanup serves both.
  if (cancelling) return;
  cancelling = true;
  process.stderr.write(
    `\nml-buildpacks: cancelled (${signal}): stopping the lifecycle's containers and processes: nothing more is pushed, and the layer cache keeps what the last finished build committed\n`,
  );
  const cleanups = [...hooks].map((hook) => Promise.resolve().then(() => hook(signal)));
  const timeout = new Promise((r) => setTimeout(r, CANCEL_CLEANUP_MS).unref());
  void Promise.race([Promise.allSettled(cleanups), timeout]).finally(() =>
    process.exit(128 + (signal === "SIGINT" ? 2 : 15)),
  );
}

/**
 * Runs `hook` when the process is cancelled while it is registered; returns the unregister
 * function. While any hook is registered, SIGINT and SIGTERM run the hooks and then exit with
 * 130 / 143 (instead of Node's immediate exit, which would leave the phase containers running and
 * pushing).
 */
export function onCancel(hook: CancelHook): () => void {
  if (hooks.size === 0) for (const s of CANCEL_SIGNALS) process.on(s, onSignal);
  hooks.add(hook);
  return () => {
    if (!hooks.delete(hook) || hooks.size > 0) return;
    for (const s of CANCEL_SIGNALS) process.off(s, onSignal);
  };
}
