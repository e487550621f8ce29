// The "poetry" layer: Poetry and poetry-plugin-export in their own virtual environment, installed
// from bin/tool-requirements.txt (exact versions, every file sha256-pinned). Build-only tool
// (launch=false, build=false: this buildpack runs it by path) kept in the build cache (cache=true),
// keyed by Poetry version, the requirements file's sha256, Python, arch and distro.
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

/** Must match the poetry== pin in bin/tool-requirements.txt (a unit test checks). */
export const POETRY_VERSION = "2.5.1";
export const POETRY_LAYER_VERSION = 1;

export type PoetryToolKey = {
  layer_version: number;
  poetry_version: string;
  requirements_sha256: string;
  python_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

const DESCRIBERS: Describers<PoetryToolKey> = {
  layer_version: versionChanged("poetry layer format"),
  poetry_version: versionChanged("Poetry"),
  requirements_sha256: fileChanged("the buildpack's tool-requirements.txt"),
  python_version: versionChanged("Python"),
  arch: versionChanged("architecture"),
  distro_name: versionChanged("distribution"),
  distro_version: versionChanged("distribution version"),
};

export function poetryToolKey(
  ctx: Pick<BuildContext, "buildpack" | "target">,
  pythonVersion: string,
): PoetryToolKey {
  return {
    layer_version: POETRY_LAYER_VERSION,
    poetry_version: POETRY_VERSION,
    requirements_sha256: sha256(readFileSync(toolRequirements(ctx.buildpack.dir))),
    python_version: pythonVersion,
    arch: archOf(ctx.target),
    distro_name: ctx.target.distroName,
    distro_version: ctx.target.distroVersion,
  };
}

/** Env for every Poetry command: offline-friendly, non-interactive, never creating its own venvs. */
export const POETRY_ENV: Record<string, string | undefined> = {
  POETRY_NO_INTERACTION: "1",
  POETRY_VIRTUALENVS_CREATE: "false",
  // No desktop keyring in a build container; the null backend avoids D-Bus lookups and their delays.
  PYTHON_KEYRING_BACKEND: "keyring.backends.null.Keyring",
  VIRTUAL_ENV: undefined,
};

const TOOL: PinnedTool = {
  name: "Poetry",
  layer: "poetry",
  executable: "poetry",
  version: POETRY_VERSION,
  versionArgs: ["--version", "--no-ansi"],
  env: POETRY_ENV,
};

/** Returns the poetry executable: the cached layer when its key matches, otherwise a fresh install. */
export function ensurePoetry(ctx: BuildContext, tools: PythonTools, key: PoetryToolKey): Promise<string> {
  return ensurePinnedTool(ctx, tools, TOOL, key, DESCRIBERS);
}

/** When the venv is reused Poetry doesn't run: keep a restored, still valid layer in the cache. */
export function keepPoetry(ctx: BuildContext, key: PoetryToolKey): void {
  keepPinnedTool(ctx, TOOL, key, DESCRIBERS);
}
