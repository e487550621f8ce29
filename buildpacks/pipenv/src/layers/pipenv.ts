// The "pipenv" layer: Pipenv in its own virtual environment, installed
// from bin/tool-requirements.txt (exact versions, every file sha256-pinned). Build-only tool
// (launch=false, build=false: this buildpack runs it by path) kept in the build cache (cache=true),
// keyed by Pipenv version, the requirements file's sha256, Python, arch and distro.
import type { PinnedTool } from "#pybuild/pinned-tool";

/** Must match the pipenv== pin in bin/tool-requirements.txt (a unit test checks). */
export const PIPENV_VERSION = "2026.10.3";
export const PIPENV_LAYER_VERSION = 2;

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

export const PIPENV: PinnedTool = {
  name: "Pipenv",
  layer: "pipenv",
  executable: "pipenv",
  version: PIPENV_VERSION,
  versionArgs: ["--version"],
  env: PIPENV_ENV,
  layerVersion: PIPENV_LAYER_VERSION,
};
