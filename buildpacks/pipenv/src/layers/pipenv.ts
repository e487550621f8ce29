// The "pipenv" layer: Pipenv in its own virtual environment, installed
// from bin/tool-requirements.txt (exact versions, every file sha256-pinned). Build-only tool
// (launch=false, build=false: this buildpack runs it by path) kept in the build cache (cache=true),
// keyed by Pipenv version, the requirements file's sha256, Python, arch and distro.
import { readFileSync } from "node:fs";
import {
  type BuildContext,
  type Describers,
  fileChanged,
  versionChanged,
} from "../../../../src/libcnb/index.js";
import { archOf } from "../../../../src/pybuild/keys.js";
import {
  ensurePinnedTool,
  keepPinnedTool,
  type PinnedTool,
  toolRequirements,
} from "../../../../src/pybuild/pinned-tool.js";
import type { PythonTools } from "../../../../src/pybuild/stack-python.js";
import { sha256 } from "../project.js";

/** Must match the pipenv== pin in bin/tool-requirements.txt (a unit test checks). */
export const PIPENV_VERSION = "2026.10.3";
export const PIPENV_LAYER_VERSION = 1;

export type PipenvToolKey = {
  layer_version: number;
  pipenv_version: string;
  requirements_sha256: string;
  python_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

const DESCRIBERS: Describers<PipenvToolKey> = {
  layer_version: versionChanged("pipenv layer format"),
  pipenv_version: versionChanged("Pipenv"),
  requirements_sha256: fileChanged("the buildpack's tool-requirements.txt"),
  python_version: versionChanged("Python"),
  arch: versionChanged("architecture"),
  distro_name: versionChanged("distribution"),
  distro_version: versionChanged("distribution version"),
};

export function pipenvToolKey(
  ctx: Pick<BuildContext, "buildpack" | "target">,
  pythonVersion: string,
): PipenvToolKey {
  return {
    layer_version: PIPENV_LAYER_VERSION,
    pipenv_version: PIPENV_VERSION,
    requirements_sha256: sha256(readFileSync(toolRequirements(ctx.buildpack.dir))),
    python_version: pythonVersion,
    arch: archOf(ctx.target),
    distro_name: ctx.target.distroName,
    distro_version: ctx.target.distroVersion,
  };
}

/** Env for every Pipenv command: quiet, non-interactive, no pyenv/asdf, no emoji. */
export const PIPENV_ENV: Record<string, string | undefined> = {
  PIPENV_YES: "1",
  PIPENV_NOSPIN: "1",
  PIPENV_HIDE_EMOJIS: "1",
  PIPENV_VERBOSITY: "-1",
  PIPENV_DONT_USE_PYENV: "1",
  PIPENV_DONT_USE_ASDF: "1",
  PIP_DISABLE_PIP_VERSION_CHECK: "1",
  PIP_NO_INPUT: "1",
  PIPENV_ACTIVE: undefined,
  PIPENV_IGNORE_VIRTUALENVS: undefined,
  VIRTUAL_ENV: undefined,
};

const TOOL: PinnedTool = {
  name: "Pipenv",
  layer: "pipenv",
  executable: "pipenv",
  version: PIPENV_VERSION,
  versionArgs: ["--version"],
  env: PIPENV_ENV,
};

/** Returns the pipenv executable: the cached layer when its key matches, otherwise a fresh install. */
export function ensurePipenv(ctx: BuildContext, tools: PythonTools, key: PipenvToolKey): Promise<string> {
  return ensurePinnedTool(ctx, tools, TOOL, key, DESCRIBERS);
}

/** When the venv is reused Pipenv doesn't run: keep a restored, still valid layer in the cache. */
export function keepPipenv(ctx: BuildContext, key: PipenvToolKey): void {
  keepPinnedTool(ctx, TOOL, key, DESCRIBERS);
}
