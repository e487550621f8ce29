// The "poetry" layer: Poetry and poetry-plugin-export in their own virtual environment, installed
// from bin/tool-requirements.txt (exact versions, every file sha256-pinned). Build-only tool
// (launch=false, build=false: this buildpack runs it by path) kept in the build cache (cache=true),
// keyed by Poetry version, the requirements file's sha256, Python, arch and distro.
import type { PinnedTool } from "#pybuild/pinned-tool";

/** Must match the poetry== pin in bin/tool-requirements.txt (a unit test checks). */
export const POETRY_VERSION = "2.5.1";
export const POETRY_LAYER_VERSION = 2;

/** Env for every Poetry command: offline-friendly, non-interactive, never creating its own venvs. */
export const POETRY_ENV: Record<string, string | undefined> = {
  POETRY_NO_INTERACTION: "1",
  POETRY_VIRTUALENVS_CREATE: "false",
  // No desktop keyring in a build container; the null backend avoids D-Bus lookups and their delays.
  PYTHON_KEYRING_BACKEND: "keyring.backends.null.Keyring",
  VIRTUAL_ENV: undefined,
};

export const POETRY: PinnedTool = {
  name: "Poetry",
  layer: "poetry",
  executable: "poetry",
  version: POETRY_VERSION,
  versionArgs: ["--version", "--no-ansi"],
  env: POETRY_ENV,
  layerVersion: POETRY_LAYER_VERSION,
};
