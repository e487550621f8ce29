// The "venv" layer's key and how this installer fills it (the layer itself: src/pybuild/launch-venv.ts).
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
  fileChanged,
  formatCommand,
  type Layer,
  versionChanged,
} from "#libcnb";
import { groupsChanged, TARGET_DESCRIBERS, targetKey } from "#pybuild/keys";
import type { PythonTools } from "#pybuild/stack-python";
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
    ...targetKey(target),
  };
}

export const VENV_DESCRIBERS: Describers<VenvKey> = {
  layer_version: versionChanged("venv layer format"),
  lock_sha256: fileChanged(LOCK),
  pipfile_sha256: fileChanged(MANIFEST),
  categories: groupsChanged("categories"),
  python_version: versionChanged("Python"),
  pipenv_version: versionChanged("Pipenv"),
  ...TARGET_DESCRIBERS,
};

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
