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
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout: out.join("\n"), stderr: err.join("\n") }),
    );
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
