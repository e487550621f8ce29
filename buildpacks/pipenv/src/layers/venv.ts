// The "venv" layer: a virtual environment with the locked dependencies, exported into the image.
//
// Flags: launch=true, build=false, cache=false, as in the pip buildpack. The lifecycle (v0.21)
// restores venv.toml from the previous image's metadata for such layers, without their contents.
// When the key below matches, the build only rewrites venv.toml with launch=true and leaves
// <layers>/venv absent: the exporter then reuses the previous image's layer as is.
//
// `pipenv verify` first: it fails when Pipfile.lock is out of date with the Pipfile (the check
// `pipenv install --deploy` makes). The comparison is left to the pinned pipenv rather than redone
// here: its Pipfile hash is plette's sha256 of the parsed, normalized Pipfile as JSON, and recent
// releases also canonicalize package names, so only pipenv itself agrees with every lock it wrote
// (whitespace, comments and name casing don't change it; a changed package does). Then `pipenv sync`, which installs exactly the lock (hashes
// checked by pip, nothing resolved) into the environment VIRTUAL_ENV names: our venv.
import { join } from "node:path";
import {
  type BuildContext,
  type Describers,
  decideReuse,
  fileChanged,
  formatCommand,
  type Layer,
  type ReuseDecision,
  versionChanged,
} from "../../../../src/libcnb/index.js";
import * as pyErrors from "../../../../src/pybuild/errors.js";
import { archOf, groupsChanged } from "../../../../src/pybuild/keys.js";
import type { PythonTools } from "../../../../src/pybuild/stack-python.js";
import { LOCK, MANIFEST } from "../detect.js";
import * as errors from "../errors.js";
import type { PipenvProject } from "../project.js";
import { PIPENV_ENV } from "./pipenv.js";

/** Bump when the layout or the way the venv is built changes, to discard old layers. */
// 2: hash-based .pyc (older venvs carry .pyc files that are stale in the image).
export const VENV_LAYER_VERSION = 2;

export type VenvKey = {
  layer_version: number;
  lock_sha256: string;
  pipfile_sha256: string;
  categories: string;
  python_version: string;
  pipenv_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

export function venvKey(
  project: PipenvProject,
  categories: string[],
  tools: PythonTools,
  pipenvVersion: string,
  target: BuildContext["target"],
): VenvKey {
  return {
    layer_version: VENV_LAYER_VERSION,
    lock_sha256: project.lockSha256,
    pipfile_sha256: project.manifestSha256,
    categories: categories.join(","),
    python_version: tools.appVersion,
    pipenv_version: pipenvVersion,
    arch: archOf(target),
    distro_name: target.distroName,
    distro_version: target.distroVersion,
  };
}

export const VENV_DESCRIBERS: Describers<VenvKey> = {
  layer_version: versionChanged("venv layer format"),
  lock_sha256: fileChanged(LOCK),
  pipfile_sha256: fileChanged(MANIFEST),
  categories: groupsChanged("categories"),
  python_version: versionChanged("Python"),
  pipenv_version: versionChanged("Pipenv"),
  arch: versionChanged("architecture"),
  distro_name: versionChanged("distribution"),
  distro_version: versionChanged("distribution version"),
};

export function decideVenv(key: VenvKey, layer: Pick<Layer, "restored">): ReuseDecision {
  return decideReuse(key, layer.restored, VENV_DESCRIBERS);
}

export async function createVenv(ctx: BuildContext, layer: Layer, tools: PythonTools): Promise<void> {
  const args = ["-m", "venv", "--without-pip", layer.path];
  await ctx.logger.timed("Creating virtual environment", async () => {
    const r = await ctx.exec(tools.appPython, args, { cwd: ctx.appDir });
    if (r.code !== 0) throw pyErrors.venvFailed(formatCommand(tools.appPython, args), r.code, r.output);
  });
}

/** Env for pipenv working on the app: its Pipfile, our venv, the cache layer. */
export function pipenvEnv(
  ctx: BuildContext,
  venv: string,
  cacheDir: string,
): Record<string, string | undefined> {
  return {
    ...PIPENV_ENV,
    PIPENV_PIPFILE: join(ctx.appDir, MANIFEST),
    PIPENV_CACHE_DIR: join(cacheDir, "pipenv"),
    PIP_CACHE_DIR: join(cacheDir, "pip"),
    // pipenv uses the active virtualenv when VIRTUAL_ENV is set.
    VIRTUAL_ENV: venv,
  };
}

/** `pipenv verify`: the deploy check, offline. */
export async function verifyLock(
  ctx: BuildContext,
  pipenv: string,
  project: PipenvProject,
  env: Record<string, string | undefined>,
): Promise<void> {
  await ctx.logger.timed("Checking that Pipfile.lock is up to date (pipenv verify)", async () => {
    const r = await ctx.exec(pipenv, ["verify"], { cwd: ctx.appDir, env });
    if (r.code === 0) return;
    if (/out-of-date|out of date/i.test(r.output))
      throw errors.lockOutOfDate(project.lockedPipfileHash, r.output);
    throw errors.verifyFailed(r.code, r.output);
  });
}

export function syncArgs(categories: readonly string[]): string[] {
  return ["sync", "--categories", categories.join(" ")];
}

export async function syncLock(
  ctx: BuildContext,
  pipenv: string,
  tools: PythonTools,
  categories: readonly string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  const args = syncArgs(categories);
  await ctx.logger.streamed(`Running ${formatCommand("pipenv", args)}`, async (output) => {
    const r = await ctx.exec(pipenv, args, { cwd: ctx.appDir, env, output });
    if (r.code !== 0) {
      const platform = `${ctx.target.os}/${ctx.target.arch}`;
      throw errors.syncFailed(r.code, tools.appVersion, platform, errors.syncFailureHints(r.output));
    }
  });
}

const LIST = [
  "import importlib.metadata as m",
  "print(' '.join(sorted(f\"{d.metadata['Name']}=={d.version}\" for d in m.distributions())))",
].join("\n");

/** "tabulate==0.9.0 six==1.17.0": pipenv sync says little about what it installed, so the log lists it. */
export async function installedPackages(ctx: BuildContext, venv: Layer): Promise<string> {
  const r = await ctx.exec(join(venv.path, "bin", "python"), ["-I", "-c", LIST]);
  return r.code === 0 ? r.stdout.trim() || "(nothing)" : "(could not list)";
}

/** Launch env of the venv: activate it (its bin/ is put on PATH by the lifecycle). */
export function writeVenvEnv(layer: Layer): void {
  layer.env.launch.override("VIRTUAL_ENV", layer.path);
  layer.env.launch.default("PYTHONUNBUFFERED", "1");
}
