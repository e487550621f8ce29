// The "poetry" layer: Poetry and poetry-plugin-export in their own virtual environment, installed
// from bin/tool-requirements.txt (exact versions, every file sha256-pinned). Build-only tool
// (launch=false, build=false: this buildpack runs it by path) kept in the build cache (cache=true),
// keyed by Poetry version, the requirements file's sha256, Python, arch and distro.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type BuildContext,
  type Describers,
  decideReuse,
  fileChanged,
  formatCommand,
  type Layer,
  versionChanged,
} from "../../../../src/libcnb/index.js";
import { archOf } from "../../../../src/pybuild/keys.js";
import type { PythonTools } from "../../../../src/pybuild/stack-python.js";
import * as errors from "../errors.js";
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

export function toolRequirements(buildpackDir: string): string {
  return join(buildpackDir, "bin", "tool-requirements.txt");
}

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

export function poetryBinary(layer: Layer): string {
  return join(layer.path, "bin", "poetry");
}

/** Returns the poetry executable: the cached layer when its key matches, otherwise a fresh install. */
export async function ensurePoetry(
  ctx: BuildContext,
  tools: PythonTools,
  key: PoetryToolKey,
): Promise<string> {
  const layer = ctx.layers.get("poetry");
  const decision = decideReuse(key, layer.restored, DESCRIBERS);
  if (decision.action === "reuse" && layer.hasContents()) {
    ctx.logger.step(`Using cached Poetry ${key.poetry_version}`);
    layer.write(key, { cache: true });
    return poetryBinary(layer);
  }
  if (decision.action === "rebuild") {
    ctx.logger.step("Discarding the cached Poetry:");
    ctx.logger.detail(decision.reasons);
  }
  layer.reset();
  await ctx.logger.timed(`Installing Poetry ${key.poetry_version} (hash-pinned)`, async () => {
    const venv = ["-m", "venv", "--without-pip", layer.path];
    const v = await ctx.exec(tools.python, venv);
    if (v.code !== 0) throw errors.venvFailed(formatCommand(tools.python, venv), v.code, v.output);
    const args = [
      "-m",
      "pip",
      "--python",
      join(layer.path, "bin", "python"),
      "install",
      "--require-hashes",
      "--no-deps",
      "--only-binary",
      ":all:",
      "--no-cache-dir",
      "--no-input",
      "--progress-bar",
      "off",
      "--disable-pip-version-check",
      "--requirement",
      toolRequirements(ctx.buildpack.dir),
    ];
    const r = await ctx.exec(tools.python, args, {
      env: { PIP_USER: undefined, PIP_REQUIRE_VIRTUALENV: undefined },
    });
    if (r.code !== 0)
      throw errors.toolInstallFailed("Poetry", formatCommand(tools.python, args), r.code, r.output);
  });
  const bin = poetryBinary(layer);
  const v = await ctx.exec(bin, ["--version", "--no-ansi"], { env: POETRY_ENV });
  if (v.code !== 0 || !v.stdout.includes(key.poetry_version))
    throw errors.toolInstallFailed("Poetry", `${bin} --version`, v.code, v.output);
  layer.write(key, { cache: true });
  return bin;
}

/** When the venv is reused Poetry doesn't run: keep a restored, still valid layer in the cache. */
export function keepPoetry(ctx: BuildContext, key: PoetryToolKey): void {
  const layer = ctx.layers.get("poetry");
  if (layer.hasContents() && decideReuse(key, layer.restored, DESCRIBERS).action === "reuse")
    layer.write(key, { cache: true });
}

/** Env for every Poetry command: offline-friendly, non-interactive, never creating its own venvs. */
export const POETRY_ENV: Record<string, string | undefined> = {
  POETRY_NO_INTERACTION: "1",
  POETRY_VIRTUALENVS_CREATE: "false",
  // No desktop keyring in a build container; the null backend avoids D-Bus lookups and their delays.
  PYTHON_KEYRING_BACKEND: "keyring.backends.null.Keyring",
  VIRTUAL_ENV: undefined,
};
