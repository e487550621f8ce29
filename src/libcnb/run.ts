// Entry point for a buildpack's bin/main.mjs: run({ detect, build }) dispatches on process.argv[2]
// ("detect" or "build", passed by the bin/detect and bin/build shell wrappers).
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { AppReadsRecorder, recordingAppFiles } from "./app-reads.js";
import {
  type BuildpackInfo,
  type Env,
  readBuildpackInfo,
  readPlatformEnv,
  readTarget,
  requireEnv,
  type Target,
} from "./context.js";
import { renderError } from "./errors.js";
import { type Exec, nodeExec } from "./exec.js";
import { type AppFiles, nodeAppFiles } from "./files.js";
import {
  type LaunchConfig,
  type Process,
  renderBuildToml,
  renderLaunchToml,
  validateProcesses,
} from "./launch.js";
import { Layers } from "./layers.js";
import { type Clock, createLogger, formatDuration, type Logger, systemClock, type Write } from "./log.js";
import { type BuildpackPlan, type DetectResult, readBuildpackPlan, renderBuildPlan } from "./plan.js";
import { RefreshRecorder } from "./refresh.js";

export const EXIT_DETECT_PASS = 0;
export const EXIT_DETECT_FAIL = 100;
export const EXIT_ERROR = 1;

export interface DetectContext {
  /** The app (the working directory the lifecycle starts us in). */
  appDir: string;
  app: AppFiles;
  platformDir: string;
  /** Variables the platform provided in <platform>/env. */
  platformEnv: Record<string, string>;
  buildpack: BuildpackInfo;
  target: Target;
  /** The whole process environment. */
  env: Env;
  exec: Exec;
}

export interface BuildContext extends DetectContext {
  /** CNB_LAYERS_DIR: <layers>/<escaped buildpack id>. */
  layersDir: string;
  layers: Layers;
  /** Buildpack Plan: the entries this buildpack provides, with each requirer's metadata. */
  plan: BuildpackPlan;
  logger: Logger;
  clock: Clock;
  /**
   * Records the app files this build read (ctx.app does so by itself); call dependsOnWholeApp when a
   * tool reads the project beyond them, e.g. a local-path install.
   */
  appReads: AppReadsRecorder;
  /** When the image should be built again although no input changed (e.g. to pick up updates). */
  refresh: RefreshRecorder;
}

export interface BuildResult extends LaunchConfig {
  /** Plan entry names this buildpack did not satisfy (written to build.toml as [[unmet]]). */
  unmet?: string[];
}

export type DetectFn = (ctx: DetectContext) => DetectResult | Promise<DetectResult>;
// biome-ignore lint/suspicious/noConfusingVoidType: a build with nothing to declare may return nothing
export type BuildFn = (ctx: BuildContext) => BuildResult | void | Promise<BuildResult | void>;

export interface Buildpack {
  detect: DetectFn;
  build: BuildFn;
}

/** Everything run() takes from the outside world; tests replace parts of it. */
export interface Runtime {
  argv: readonly string[];
  env: Env;
  cwd: string;
  stdout: Write;
  stderr: Write;
  exec: Exec;
  clock: Clock;
}

function defaultRuntime(): Runtime {
  return {
    argv: process.argv,
    env: process.env,
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    exec: nodeExec,
    clock: systemClock,
  };
}

/** Runs the phase named by argv[2] (or by the script name), sets process.exitCode and returns it. */
export async function run(bp: Buildpack, overrides: Partial<Runtime> = {}): Promise<number> {
  const rt = { ...defaultRuntime(), ...overrides };
  const phase = rt.argv[2] ?? basename(rt.argv[1] ?? "");
  let code: number;
  if (phase === "detect") code = await runDetect(bp.detect, rt);
  else if (phase === "build") code = await runBuild(bp.build, rt);
  else {
    rt.stderr(`usage: main.mjs detect|build (got ${JSON.stringify(phase)})\n`);
    code = EXIT_ERROR;
  }
  process.exitCode = code;
  return code;
}

// The lifecycle passes paths both as env (Buildpack API 0.8+) and as positional arguments;
// the shell wrappers forward the latter after the phase name.
function positional(rt: Runtime, i: number): string | undefined {
  return rt.argv[3 + i] || undefined;
}

function buildpackDir(rt: Runtime): string {
  // bin/main.mjs lives in <buildpack>/bin: fall back to its parent when run by hand.
  return rt.env.CNB_BUILDPACK_DIR || resolve(dirname(rt.argv[1] ?? "."), "..");
}

function baseContext(rt: Runtime, platformDir: string): DetectContext {
  const buildpack = readBuildpackInfo(buildpackDir(rt));
  return {
    appDir: rt.cwd,
    app: nodeAppFiles(rt.cwd),
    platformDir,
    platformEnv: readPlatformEnv(platformDir),
    buildpack,
    target: readTarget(rt.env),
    env: rt.env,
    exec: rt.exec,
  };
}

export async function runDetect(detect: DetectFn, rt: Runtime): Promise<number> {
  let info: BuildpackInfo | undefined;
  try {
    const platformDir =
      rt.env.CNB_PLATFORM_DIR || positional(rt, 0) || requireEnv(rt.env, "CNB_PLATFORM_DIR", "detect");
    const planPath =
      rt.env.CNB_BUILD_PLAN_PATH || positional(rt, 1) || requireEnv(rt.env, "CNB_BUILD_PLAN_PATH", "detect");
    const ctx = baseContext(rt, platformDir);
    info = ctx.buildpack;
    const result = await detect(ctx);
    if (!result.pass) {
      for (const reason of result.reasons) rt.stdout(`${reason}\n`);
      return EXIT_DETECT_FAIL;
    }
    writeFileSync(planPath, renderBuildPlan(result.plan));
    return EXIT_DETECT_PASS;
  } catch (err) {
    rt.stderr(renderError(err, info));
    return EXIT_ERROR;
  }
}

export async function runBuild(build: BuildFn, rt: Runtime): Promise<number> {
  const started = rt.clock.now();
  const logger = createLogger(rt.stdout, rt.clock);
  let info: BuildpackInfo | undefined;
  try {
    const layersDir =
      rt.env.CNB_LAYERS_DIR || positional(rt, 0) || requireEnv(rt.env, "CNB_LAYERS_DIR", "build");
    const platformDir =
      rt.env.CNB_PLATFORM_DIR || positional(rt, 1) || requireEnv(rt.env, "CNB_PLATFORM_DIR", "build");
    const planPath = rt.env.CNB_BP_PLAN_PATH || positional(rt, 2);
    const base = baseContext(rt, platformDir);
    info = base.buildpack;
    logger.title(`${info.name} (${info.id} ${info.version})`);
    const appReads = new AppReadsRecorder();
    const refresh = new RefreshRecorder();
    const ctx: BuildContext = {
      ...base,
      app: recordingAppFiles(base.app, appReads),
      appReads,
      refresh,
      layersDir,
      layers: new Layers(layersDir),
      plan: readBuildpackPlan(planPath),
      logger,
      clock: rt.clock,
    };
    const result = (await build(ctx)) ?? {};
    const refreshLabel = refresh.label(info.id);
    writeBuildOutputs(layersDir, {
      ...result,
      labels: [...(result.labels ?? []), appReads.label(info.id), ...(refreshLabel ? [refreshLabel] : [])],
    });
    logger.raw(`\nDone (finished in ${formatDuration(rt.clock.now() - started)})\n`);
    return 0;
  } catch (err) {
    rt.stderr(renderError(err, info));
    return EXIT_ERROR;
  }
}

/** Writes launch.toml and build.toml from a BuildResult (nothing when there is nothing to say). */
export function writeBuildOutputs(layersDir: string, result: BuildResult): void {
  const processes: Process[] = result.processes ?? [];
  const problems = validateProcesses(processes);
  if (problems.length) throw new Error(`invalid processes for launch.toml:\n${problems.join("\n")}`);
  mkdirSync(layersDir, { recursive: true });
  if (processes.length || result.labels?.length) {
    writeFileSync(
      join(layersDir, "launch.toml"),
      renderLaunchToml({ processes, labels: result.labels ?? [] }),
    );
  }
  if (result.unmet?.length) writeFileSync(join(layersDir, "build.toml"), renderBuildToml(result.unmet));
}
