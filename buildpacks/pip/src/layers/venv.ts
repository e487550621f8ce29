// The "venv" layer: a virtual environment with the app's requirements, exported into the image.
//
// Flags: launch=true, build=false, cache=false. The lifecycle (v0.21) restores venv.toml from the
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
} from "../../../../src/libcnb/index.js";
import * as errors from "../errors.js";
import type { PythonTools } from "../python.js";
import type { RequirementsFingerprint } from "../requirements.js";

/** Bump when the layout or the way the venv is built changes, to discard old layers. */
// 2: hash-based .pyc (older venvs carry .pyc files that are stale in the image).
export const VENV_LAYER_VERSION = 2;

export type VenvKey = {
  layer_version: number;
  requirements_sha256: string;
  included_sha256: string;
  python_version: string;
  pip_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

export function venvKey(
  req: RequirementsFingerprint,
  tools: PythonTools,
  target: BuildContext["target"],
): VenvKey {
  return {
    layer_version: VENV_LAYER_VERSION,
    requirements_sha256: req.sha256,
    included_sha256: req.includedSha256,
    python_version: tools.version,
    pip_version: tools.pipVersion,
    arch: target.archVariant ? `${target.arch}/${target.archVariant}` : target.arch,
    distro_name: target.distroName,
    distro_version: target.distroVersion,
  };
}

export const VENV_DESCRIBERS: Describers<VenvKey> = {
  layer_version: versionChanged("venv layer format"),
  requirements_sha256: fileChanged("requirements.txt"),
  included_sha256: fileChanged("files included by requirements.txt"),
  python_version: versionChanged("Python"),
  pip_version: versionChanged("pip"),
  arch: versionChanged("architecture"),
  distro_name: versionChanged("distribution"),
  distro_version: versionChanged("distribution version"),
};

/** Reuse unless the key changed or requirements install local paths (whose content isn't in the key). */
export function decideVenv(
  key: VenvKey,
  layer: Pick<Layer, "restored">,
  req: RequirementsFingerprint,
): ReuseDecision {
  const decision = decideReuse(key, layer.restored, VENV_DESCRIBERS);
  if (decision.action !== "reuse" || req.localPaths.length === 0) return decision;
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

export function pipInstallCommand(
  layer: Layer,
  tools: PythonTools,
  requirements: string,
  cacheDir: string,
): { command: string; args: string[] } {
  const install = [
    "install",
    "--requirement",
    requirements,
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
  requirements: string,
  cacheDir: string,
): Promise<void> {
  const { command, args } = pipInstallCommand(layer, tools, requirements, cacheDir);
  // The log shows what a user would type; --cache-dir and the quiet-output flags are ours.
  const shown = formatCommand("pip", ["install", "--requirement", requirements]);
  await ctx.logger.streamed(`Running ${shown}`, async (output) => {
    const r = await ctx.exec(command, args, { cwd: ctx.appDir, env: PIP_ENV, output });
    if (r.code !== 0) {
      const platform = `${ctx.target.os}/${ctx.target.arch}`;
      throw errors.pipInstallFailed(
        requirements,
        r.code,
        tools.version,
        platform,
        errors.pipFailureHints(r.output),
      );
    }
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
