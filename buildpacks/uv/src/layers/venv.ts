// The "venv" layer's key and how this installer fills it (the layer itself: src/pybuild/launch-venv.ts).
//
// `uv sync --locked` installs exactly what uv.lock says, after checking that the lock still matches
// pyproject.toml (uv fails, without resolving anew, when the lock needs updating: `--frozen` would
// install a stale lock and the image would lack what pyproject.toml declares). `--no-install-project`: the app's own code runs from /workspace (the app
// layer); installing it into the venv would tie the venv to every code change and break reuse.
import {
  type BuildContext,
  type Describers,
  type Env,
  fileChanged,
  formatCommand,
  type Layer,
  versionChanged,
} from "#libcnb";
import { groupsChanged, TARGET_DESCRIBERS, targetKey } from "#pybuild/keys";
import { LOCK, MANIFEST } from "../detect.js";
import * as errors from "../errors.js";
import type { UvProject } from "../project.js";

/** Bump when the layout or the way the venv is built changes, to discard old layers. */
// 2: hash-based .pyc (uv installed none; every container compiled at import).
// 3: the lock is checked against pyproject.toml (--locked): venvs built from a stale lock are discarded.
export const VENV_LAYER_VERSION = 3;

export type VenvKey = {
  layer_version: number;
  lock_sha256: string;
  pyproject_sha256: string;
  groups: string;
  python_version: string;
  uv_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

export function venvKey(
  project: UvProject,
  groups: string[],
  pythonVersion: string,
  uvVersion: string,
  target: BuildContext["target"],
): VenvKey {
  return {
    layer_version: VENV_LAYER_VERSION,
    lock_sha256: project.lockSha256,
    pyproject_sha256: project.manifestSha256,
    groups: groups.join(","),
    python_version: pythonVersion,
    uv_version: uvVersion,
    ...targetKey(target),
  };
}

export const VENV_DESCRIBERS: Describers<VenvKey> = {
  layer_version: versionChanged("venv layer format"),
  lock_sha256: fileChanged(LOCK),
  pyproject_sha256: fileChanged(MANIFEST),
  groups: groupsChanged("dependency groups"),
  python_version: versionChanged("Python"),
  uv_version: versionChanged("uv"),
  ...TARGET_DESCRIBERS,
};

/** `uv sync` arguments: the project's dependencies, plus the groups asked for, from an up-to-date lock. */
export function uvSyncArgs(groups: readonly string[]): string[] {
  return [
    "sync",
    "--locked",
    "--no-install-project",
    "--no-default-groups",
    ...groups.flatMap((g) => ["--group", g]),
  ];
}

/** Env for uv: our venv, the selected Python (never one uv downloads), the cache layer. */
export function uvEnv(
  env: Env,
  venv: Layer,
  cacheDir: string,
  python: string,
): Record<string, string | undefined> {
  return {
    UV_PROJECT_ENVIRONMENT: venv.path,
    UV_PYTHON: python,
    UV_PYTHON_DOWNLOADS: "never",
    UV_CACHE_DIR: cacheDir,
    // The cache and the venv are different layers: copy, don't hardlink across them.
    UV_LINK_MODE: "copy",
    UV_NO_PROGRESS: "1",
    // uv trusts its bundled roots by default; use the stack's CA bundle, like pip and curl do
    // (the platform mounts a private/proxy CA over it when it has one).
    SSL_CERT_FILE: env.SSL_CERT_FILE || "/etc/ssl/certs/ca-certificates.crt",
    VIRTUAL_ENV: undefined,
    UV_FROZEN: undefined,
    UV_LOCKED: undefined,
  };
}

export async function uvSync(
  ctx: BuildContext,
  uv: string,
  venv: Layer,
  cacheDir: string,
  groups: readonly string[],
  python: string,
  pythonVersion: string,
): Promise<void> {
  const args = uvSyncArgs(groups);
  const shown = formatCommand("uv", args);
  await ctx.logger.streamed(`Running ${shown}`, async (output) => {
    const r = await ctx.exec(uv, args, {
      cwd: ctx.appDir,
      env: uvEnv(ctx.env, venv, cacheDir, python),
      output,
    });
    if (r.code !== 0) {
      const stale = errors.staleLockMessage(r.output);
      if (stale) throw errors.lockOutOfDate(stale);
      const platform = `${ctx.target.os}/${ctx.target.arch}`;
      throw errors.uvSyncFailed(r.code, pythonVersion, platform, errors.uvFailureHints(r.output));
    }
  });
}
