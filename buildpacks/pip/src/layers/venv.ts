// The "venv" layer's key and how pip fills it (the layer itself: src/pybuild/launch-venv.ts).
import {
  type BuildContext,
  type Describers,
  fileChanged,
  formatCommand,
  type Layer,
  versionChanged,
} from "#libcnb";
import { TARGET_DESCRIBERS, targetKey } from "#pybuild/keys";
import { PIP_ENV, pipInstallFlags } from "#pybuild/pip-install";
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
    ...targetKey(target),
  };
}

/** source_sha256 is named after the file the venv is installed from. */
export function venvDescribers(source: InstallSource): Describers<VenvKey> {
  return {
    layer_version: versionChanged("venv layer format"),
    source: (before, after) => `installing from ${after} instead of ${String(before)}`,
    source_sha256: fileChanged(sourceFile(source)),
    included_sha256: fileChanged("files included by requirements.txt"),
    python_version: versionChanged("Python"),
    pip_version: versionChanged("pip"),
    ...TARGET_DESCRIBERS,
  };
}

/**
 * Why the venv is rebuilt even when the key matches: it holds app files whose content isn't in the
 * key (local paths a requirements file installs, or the app's own package from `pip install .`).
 */
export function alwaysRebuild(source: InstallSource): string[] {
  if (source.kind === "project") {
    return [
      `pip install . builds the app's own package from its files, which can change without ${source.project.file} changing`,
    ];
  }
  return source.req.localPaths.map(
    (p) =>
      `${p.file}:${p.line} installs a local path (${p.spec}), which can change without ${p.file} changing`,
  );
}

/** Launch env beside the venv's activation: a pip run in the container doesn't look for a newer pip. */
export const LAUNCH_DEFAULTS = { PIP_DISABLE_PIP_VERSION_CHECK: "1" };

export function venvPython(layer: Layer): string {
  return `${layer.path}/bin/python`;
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
  const install = ["install", ...installTarget(source), ...pipInstallFlags(cacheDir)];
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
