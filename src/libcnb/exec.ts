// Running tools. Buildpacks get an Exec through their context so tests can swap in a fake.
import { spawn } from "node:child_process";
import type { OutputSink } from "./log.js";

export interface ExecOptions {
  cwd?: string;
  /** Merged over the current environment; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Receives stdout and stderr live, interleaved as they arrive. */
  output?: OutputSink;
}

export interface ExecResult {
  /** Exit status; 127 when the command could not be started, 128+n when killed by signal n. */
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved, as a user would have seen them. */
  output: string;
  /** Set when the command could not be started (e.g. "spawn /usr/bin/python3 ENOENT"). */
  spawnError?: string;
}

export type Exec = (command: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 };

export function mergeEnv(
  base: NodeJS.ProcessEnv,
  overrides: Record<string, string | undefined> | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** The real Exec: spawns without a shell. */
export const nodeExec: Exec = (command, args, options = {}) =>
  new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let output = "";
    let spawnError: string | undefined;
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: mergeEnv(process.env, options.env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      output += chunk;
      options.output?.write(chunk);
    });
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      output += chunk;
      options.output?.write(chunk);
    });
    child.on("error", (err) => {
      spawnError = err.message;
    });
    child.on("close", (code, signal) => {
      const status = code ?? (signal ? 128 + (SIGNALS[signal] ?? 0) : 127);
      resolve({
        code: spawnError !== undefined ? 127 : status,
        stdout,
        stderr,
        output,
        ...(spawnError !== undefined ? { spawnError } : {}),
      });
    });
  });

/** "python3 -m venv /layers/x/venv" for log lines and error messages (quotes args with spaces). */
export function formatCommand(command: string, args: readonly string[]): string {
  return [command, ...args]
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`))
    .join(" ");
}
