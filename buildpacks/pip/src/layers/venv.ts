// The "venv" layer: a virtual environment with the app's requirements, exported into the image.
//
// Flags: launch=true, build=false, cache=false (cache=true for Django apps: src/pybuild/venv-at-build.ts). The lifecycle (v0.21) restores venv.toml from the
// previous image's metadata for such layers, without their contents. When the key below matches,
// the build only rewrites venv.toml with launch=true and leaves <layers>/venv absent: the exporter
// then reuses the previous image's layer as is. (A build=true, cache=false layer gets no restored
// metadata at all, so it could never be reused; that's why later buildpacks don't see this venv.)
import {
  type BuildContext,
  type Describers,
  decideReuse,
  fileChanged,
  formatCommand,
  type Layer,
  type ReuseDecision,
  versionChanged,
} from "#libcnb";
import * as errors from "../errors.js";
import type { ProjectInstall } from "../project.js";
import type { PythonTools } from "../python.js";
import type { RequirementsFingerprint } from "../requirements.js";

/** Bump when the layout or the way the venv is built changes, to discard old layers. */
// 2: hash-based .pyc (older venvs carry .pyc files that are stale in the image).
// 3: the key names what was installed (requirements.txt, or the app itself from pyproject.toml/setup.py).
export const VENV_LAYER_VERSION = 3;

/** What the venv is installed from: a requirements file, or the app as a package (`pip install .`). */
export type InstallSource =
  | { kind: "requirements"; file: string; req: RequirementsFingerprint }
  | { kind: "project"; project: ProjectInstall };

export type VenvKey = {
  layer_version: number;
  source: string;
  source_sha256: string;
  included_sha256: string;
  python_version: string;
  pip_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

export function sourceFile(source: InstallSource): string {
  return source.kind === "requirements" ? source.file : source.project.file;
}

export function venvKey(source: InstallSource, tools: PythonTools, target: BuildContext["target"]): VenvKey {
  return {
    layer_version: VENV_LAYER_VERSION,
    source: sourceFile(source),
    source_sha256: source.kind === "requirements" ? source.req.sha256 : source.project.sha256,
    included_sha256: source.kind === "requirements" ? source.req.includedSha256 : "",
    python_version: tools.version,
    pip_version: tools.pipVersion,
    arch: target.archVariant ? `${target.arch}/${target.archVariant}` : target.arch,
    distro_name: target.distroName,
    distro_version: target.distroVersion,
  };
}

export const VENV_DESCRIBERS: Describers<VenvKey> = {
  layer_version: versionChanged("venv layer format"),
  source: (before, after) => `installing from ${after} instead of ${String(before)}`,
  // source_sha256: named after the file in decideVenv
  included_sha256: fileChanged("files included by requirements.txt"),
  python_version: versionChanged("Python"),
  pip_version: versionChanged("pip"),
  arch: versionChanged("architecture"),
  distro_name: versionChanged("distribution"),
  distro_version: versionChanged("distribution version"),
};

/**
 * Reuse unless the key changed or the venv holds app files whose content isn't in the key: local
 * paths a requirements file installs, or the app's own package (`pip install .`).
 */
export function decideVenv(
  key: VenvKey,
  layer: Pick<Layer, "restored">,
  source: InstallSource,
): ReuseDecision {
  const describers = { ...VENV_DESCRIBERS, source_sha256: fileChanged(key.source) };
  const decision = decideReuse(key, layer.restored, describers);
  if (decision.action !== "reuse") return decision;
  if (source.kind === "project") {
    return {
      action: "rebuild",
      reasons: [
        `pip install . builds the app's own package from its files, which can change without ${source.project.file} changing`,
      ],
    };
  }
  const req = source.req;
  if (req.localPaths.length === 0) return decision;
  return {
    action: "rebuild",
    reasons: req.localPaths.map(
      (p) =>
        `${p.file}:${p.line} installs a local path (${p.spec}), which can change without ${p.file} changing`,
    ),
  };
}

export function venvPython(layer: Layer): string {
  return `${layer.path}/bin/python`;
}

/** Env for every pip / venv command this buildpack runs. */
export const PIP_ENV: Record<string, string | undefined> = {
  PIP_DISABLE_PIP_VERSION_CHECK: "1",
  PIP_NO_INPUT: "1",
  PIP_ROOT_USER_ACTION: "ignore",
  PYTHONUNBUFFERED: "1",
  // A user-level install or a "require a venv" setting would break installing into the layer.
  PIP_USER: undefined,
  PIP_REQUIRE_VIRTUALENV: undefined,
  VIRTUAL_ENV: undefined,
};

export async function createVenv(ctx: BuildContext, layer: Layer, tools: PythonTools): Promise<void> {
  const args = ["-m", "venv", ...(tools.pipMode === "system" ? ["--without-pip"] : []), layer.path];
  await ctx.logger.timed("Creating virtual environment", async () => {
    const r = await ctx.exec(tools.python, args, { cwd: ctx.appDir, env: PIP_ENV });
    if (r.code !== 0) throw errors.venvFailed(formatCommand(tools.python, args), r.code, r.output);
  });
}

/** What a user would type after `pip install` for this source. */
export function installTarget(source: InstallSource): string[] {
  // Not editable: the package (its modules, data files and console scripts) is copied into the venv.
  return source.kind === "requirements" ? ["--requirement", source.file] : ["."];
}

/**
 * No --no-deps, --constraint or --no-binary: with a --hash in a requirements file pip switches to
 * hash-checking mode by itself, and every package it downloads, dependencies included, is checked.
 */
export function pipInstallCommand(
  layer: Layer,
  tools: PythonTools,
  source: InstallSource,
  cacheDir: string,
): { command: string; args: string[] } {
  const install = [
    "install",
    ...installTarget(source),
    "--cache-dir",
    cacheDir,
    "--no-input",
    // Bytecode is compiled afterwards, hash-based (see src/pybuild/bytecode.ts).
    "--no-compile",
    "--progress-bar",
    "off",
    "--disable-pip-version-check",
  ];
  if (tools.pipMode === "system") {
    return { command: tools.python, args: ["-m", "pip", "--python", venvPython(layer), ...install] };
  }
  return { command: venvPython(layer), args: ["-m", "pip", ...install] };
}

export async function installRequirements(
  ctx: BuildContext,
  layer: Layer,
  tools: PythonTools,
  source: InstallSource,
  cacheDir: string,
): Promise<void> {
  const { command, args } = pipInstallCommand(layer, tools, source, cacheDir);
  const target = installTarget(source);
  // The log shows what a user would type; --cache-dir and the quiet-output flags are ours.
  const shown = formatCommand("pip", ["install", ...target]);
  await ctx.logger.streamed(`Running ${shown}`, async (output) => {
    const r = await ctx.exec(command, args, { cwd: ctx.appDir, env: PIP_ENV, output });
    if (r.code === 0) return;
    const file = sourceFile(source);
    const hashes = source.kind === "requirements" ? errors.parseHashProblems(r.output) : undefined;
    if (hashes) throw errors.hashCheckFailed(file, hashes);
    const hints = [...errors.pipFailureHints(r.output), ...errors.projectBuildHints(r.output, file)];
    const platform = `${ctx.target.os}/${ctx.target.arch}`;
    throw errors.pipInstallFailed(file, r.code, tools.version, platform, hints, target.join(" "));
  });
  if (tools.pipMode === "venv") {
    // ensurepip put pip in the venv to install with; the app doesn't need it at run time.
    await ctx.exec(venvPython(layer), ["-m", "pip", "uninstall", "--yes", "--quiet", "pip"], {
      cwd: ctx.appDir,
      env: PIP_ENV,
    });
  }
}

/** Launch env of the venv: activate it (its bin/ is put on PATH by the lifecycle). */
export function writeVenvEnv(layer: Layer): void {
  layer.env.launch.override("VIRTUAL_ENV", layer.path);
  layer.env.launch.default("PYTHONUNBUFFERED", "1");
  layer.env.launch.default("PIP_DISABLE_PIP_VERSION_CHECK", "1");
}
