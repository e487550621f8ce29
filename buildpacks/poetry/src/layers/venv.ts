// The "venv" layer's key and how this installer fills it (the layer itself: src/pybuild/launch-venv.ts).
//
// How the venv is filled, and why not `poetry install`:
//   1. `poetry check --lock`    fails when poetry.lock is out of date with pyproject.toml (offline);
//   2. `poetry export --only G` turns the lock into a requirements file: exact versions, the lock's
//                               sha256 for every file, environment markers, private sources' URLs
//                               with their credentials (offline);
//   3. `pip install --require-hashes --no-deps -r that file` into the venv, with the stack's pip.
// Poetry never touches the network and pip never resolves: what gets installed is exactly the
// lock, each download checked against the lock's hashes. `poetry install` would instead fetch
// per-release metadata from PyPI's JSON API, which mirrors and proxies often don't serve, and it
// decides for itself which environment to install into. The app's own code is not installed (the
// equivalent of --no-root): it runs from /workspace, and installing it would tie the venv to every
// code change.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BuildContext, type Describers, fileChanged, type Layer, versionChanged } from "#libcnb";
import { groupsChanged, TARGET_DESCRIBERS, targetKey } from "#pybuild/keys";
import { PIP_ENV, pipInstallFlags } from "#pybuild/pip-install";
import type { PythonTools } from "#pybuild/stack-python";
import { LOCK, MANIFEST } from "../detect.js";
import * as errors from "../errors.js";
import type { PoetryProject } from "../project.js";
import { POETRY_ENV } from "./poetry.js";

/** Bump when the layout or the way the venv is built changes, to discard old layers. */
// 2: hash-based .pyc (older venvs carry .pyc files that are stale in the image).
export const VENV_LAYER_VERSION = 2;

export type VenvKey = {
  layer_version: number;
  lock_sha256: string;
  pyproject_sha256: string;
  groups: string;
  python_version: string;
  pip_version: string;
  poetry_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

export function venvKey(
  project: PoetryProject,
  groups: string[],
  tools: PythonTools,
  poetryVersion: string,
  target: BuildContext["target"],
): VenvKey {
  return {
    layer_version: VENV_LAYER_VERSION,
    lock_sha256: project.lockSha256,
    pyproject_sha256: project.manifestSha256,
    groups: groups.join(","),
    python_version: tools.appVersion,
    pip_version: tools.pipVersion,
    poetry_version: poetryVersion,
    ...targetKey(target),
  };
}

export const VENV_DESCRIBERS: Describers<VenvKey> = {
  layer_version: versionChanged("venv layer format"),
  lock_sha256: fileChanged(LOCK),
  pyproject_sha256: fileChanged(MANIFEST),
  groups: groupsChanged("groups"),
  python_version: versionChanged("Python"),
  pip_version: versionChanged("pip"),
  poetry_version: versionChanged("Poetry"),
  ...TARGET_DESCRIBERS,
};

/** `poetry check --lock`: the lock must match pyproject.toml (the equivalent of a deploy check). */
export async function checkLock(ctx: BuildContext, poetry: string): Promise<void> {
  await ctx.logger.timed("Checking that poetry.lock is up to date (poetry check --lock)", async () => {
    const r = await ctx.exec(poetry, ["check", "--lock", "--no-ansi"], { cwd: ctx.appDir, env: POETRY_ENV });
    if (r.code === 0) return;
    if (
      /changed significantly|poetry\.lock (?:was last generated|is not consistent)|Run `poetry lock`/i.test(
        r.output,
      )
    )
      throw errors.lockOutOfDate(r.output);
    throw errors.poetryCheckFailed(r.code, r.output);
  });
}

export function exportArgs(groups: readonly string[], output: string): string[] {
  return [
    "export",
    "--format",
    "requirements.txt",
    "--only",
    groups.join(","),
    "--output",
    output,
    // A private source's credentials (POETRY_HTTP_BASIC_<SOURCE>_*, build secrets) go into the
    // exported index URLs, or pip meets a 401. The file lives in a temp dir removed after the install;
    // pip keeps credentials out of its log and cache.
    "--with-credentials",
    "--no-ansi",
  ];
}

export function pipInstallArgs(venv: Layer, requirements: string, cacheDir: string): string[] {
  return [
    "-m",
    "pip",
    "--python",
    join(venv.path, "bin", "python"),
    "install",
    "--require-hashes",
    "--no-deps",
    "--requirement",
    requirements,
    ...pipInstallFlags(cacheDir),
  ];
}

/** Exports the chosen groups from the lock and installs them into the venv. */
export async function installLock(
  ctx: BuildContext,
  poetry: string,
  venv: Layer,
  tools: PythonTools,
  groups: readonly string[],
  cacheDir: string,
): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "poetry-export-"));
  try {
    const requirements = join(tmp, "requirements.txt");
    const exp = exportArgs(groups, requirements);
    await ctx.logger.timed(`Exporting ${LOCK} (poetry export --only ${groups.join(",")})`, async () => {
      const r = await ctx.exec(poetry, exp, { cwd: ctx.appDir, env: POETRY_ENV });
      if (r.code !== 0) throw errors.exportFailed([...groups], r.code, r.output);
    });
    const args = pipInstallArgs(venv, requirements, cacheDir);
    await ctx.logger.streamed(
      "Running pip install --require-hashes --no-deps (the exported lock)",
      async (output) => {
        const r = await ctx.exec(tools.python, args, { cwd: ctx.appDir, env: PIP_ENV, output });
        if (r.code !== 0) {
          const platform = `${ctx.target.os}/${ctx.target.arch}`;
          throw errors.pipInstallFailed(r.code, tools.appVersion, platform, errors.pipFailureHints(r.output));
        }
      },
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
