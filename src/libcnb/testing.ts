// Fakes for unit tests of buildpacks (never imported by a buildpack's main.ts, so not bundled).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { AppReadsRecorder, recordingAppFiles } from "./app-reads.js";
import { readBuildpackInfo, type Target } from "./context.js";
import type { Exec, ExecOptions, ExecResult } from "./exec.js";
import { type AppFiles, nodeAppFiles } from "./files.js";
import { Layers } from "./layers.js";
import { type Clock, createLogger, type Logger } from "./log.js";
import type { BuildpackPlan } from "./plan.js";
import { RefreshRecorder } from "./refresh.js";
import type { BuildContext } from "./run.js";

export interface ExecCall {
  command: string;
  args: string[];
  options: ExecOptions;
}

export type FakeExecHandler = (
  call: ExecCall,
) => Partial<ExecResult> | undefined | Promise<Partial<ExecResult> | undefined>;

/**
 * An Exec that records calls and answers with `handler` (default: exit 0, no output). Output given
 * by the handler is also sent to options.output, as the real one streams it.
 */
export function fakeExec(handler: FakeExecHandler = () => undefined): Exec & { calls: ExecCall[] } {
  const calls: ExecCall[] = [];
  const exec = async (
    command: string,
    args: readonly string[],
    options: ExecOptions = {},
  ): Promise<ExecResult> => {
    const call = { command, args: [...args], options };
    calls.push(call);
    const r = (await handler(call)) ?? {};
    const stdout = r.stdout ?? "";
    const stderr = r.stderr ?? "";
    const output = r.output ?? stdout + stderr;
    if (output) options.output?.write(output);
    return {
      code: r.code ?? 0,
      stdout,
      stderr,
      output,
      ...(r.spawnError ? { spawnError: r.spawnError } : {}),
    };
  };
  return Object.assign(exec, { calls });
}

/** A clock that advances by `step` ms each time it is read. */
export function steppingClock(step = 1000, start = 0): Clock {
  let t = start - step;
  return {
    now: () => {
      t += step;
      return t;
    },
  };
}

/** A logger writing into a string, read through .text(). */
export function memoryLogger(clock: Clock = steppingClock()): Logger & { text(): string } {
  let buf = "";
  const logger = createLogger((t) => {
    buf += t;
  }, clock);
  return Object.assign(logger, { text: () => buf });
}

/** An AppFiles over an in-memory tree: keys are relative paths, values file contents. */
export function memoryAppFiles(files: Record<string, string>, root = "/workspace"): AppFiles {
  const norm = (rel: string) => rel.replace(/^\.\//, "").replace(/\/+$/, "");
  const has = (rel: string) => Object.hasOwn(files, norm(rel));
  const isDir = (rel: string) => {
    const p = norm(rel);
    return p === "." || p === "" || Object.keys(files).some((f) => f.startsWith(`${p}/`));
  };
  return {
    root,
    isFile: (rel) => has(rel),
    exists: (rel) => has(rel) || isDir(rel),
    readText: (rel) => files[norm(rel)],
    readBytes: (rel) => (has(rel) ? new TextEncoder().encode(files[norm(rel)]) : undefined),
    list: (rel = ".") => {
      const p = norm(rel);
      const prefix = p === "." || p === "" ? "" : `${p}/`;
      const names = new Set<string>();
      for (const f of Object.keys(files)) {
        if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split("/")[0] ?? "");
      }
      return [...names].filter(Boolean).sort();
    },
  };
}

export const testTarget: Target = {
  os: "linux",
  arch: "amd64",
  archVariant: "",
  distroName: "debian",
  distroVersion: "13",
};

const tempDirs: string[] = [];
afterEach(() => {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp dir removed after the current test. */
export function testTempDir(prefix = "bp-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(d);
  return d;
}

/**
 * A BuildContext over temp app and layers dirs holding the given app files, for the buildpack in
 * `buildpackDir` (its buildpack.toml is read), with fakes for exec, clock and logger.
 */
export function testBuildContext(opts: {
  buildpackDir: string;
  files: Record<string, string>;
  exec?: Exec;
  plan?: BuildpackPlan["entries"];
}): BuildContext & { logger: Logger & { text(): string } } {
  const root = testTempDir("bp-build-");
  const appDir = join(root, "app");
  const layersDir = join(root, "layers");
  mkdirSync(appDir);
  mkdirSync(layersDir);
  for (const [name, content] of Object.entries(opts.files)) writeFileSync(join(appDir, name), content);
  const clock = steppingClock(100);
  const appReads = new AppReadsRecorder();
  return {
    appDir,
    app: recordingAppFiles(nodeAppFiles(appDir), appReads),
    platformDir: join(root, "platform"),
    platformEnv: {},
    buildpack: readBuildpackInfo(opts.buildpackDir),
    target: testTarget,
    env: {},
    exec: opts.exec ?? fakeExec(),
    layersDir,
    layers: new Layers(layersDir),
    plan: { entries: opts.plan ?? [] },
    logger: memoryLogger(clock),
    clock,
    appReads,
    refresh: new RefreshRecorder(),
  };
}
