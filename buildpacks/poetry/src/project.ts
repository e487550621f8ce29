// What the venv is built from: pyproject.toml and poetry.lock (read and checked here, before Poetry
// runs, so a broken file is reported with its line), and the groups the build env asks for.
import { type AppFiles, type Env, isTable, type TomlTable } from "#libcnb";
import { readNameList, readPyprojectAndLock, sha256 } from "#pybuild/project-files";
import type { PythonRequirement } from "#pybuild/python-constraint";
import { tomlRequirement } from "#pybuild/toml-requirement";
import { LOCK, MANIFEST } from "./detect.js";
import * as errors from "./errors.js";

export const GROUPS_ENV = "BP_POETRY_GROUPS";
export const DEFAULT_GROUPS = ["main"];

export interface PoetryProject {
  /** sha256 of poetry.lock as committed (what `sha256sum poetry.lock` prints). */
  lockSha256: string;
  /**
   * sha256 of pyproject.toml: group membership and the lock's freshness depend on it, and Poetry's
   * freshness check (`poetry check --lock`) only runs when the venv is rebuilt.
   */
  manifestSha256: string;
  /** [metadata] lock-version, e.g. "2.1". */
  lockVersion: string;
  /** [[package]] entries in the lock. */
  packages: number;
  /** The Python constraints the project and its lock declare, where they are written. */
  python: PythonRequirement[];
}

export function readProject(app: AppFiles): PoetryProject {
  const { lockBytes, lockText, manifestBytes, manifestText, manifest, lock } = readPyprojectAndLock(
    app,
    "Poetry",
    LOCK,
    "poetry lock",
  );
  const meta = lock.metadata;
  const lockVersion = isTable(meta) ? meta["lock-version"] : undefined;
  if (typeof lockVersion !== "string") throw errors.notAPoetryLock(LOCK);
  const packages = Array.isArray(lock.package) ? lock.package.filter(isTable).length : 0;
  return {
    lockSha256: sha256(lockBytes),
    manifestSha256: sha256(manifestBytes),
    lockVersion,
    packages,
    python: pythonRequirements(manifest, manifestText, lock, lockText),
  };
}

/**
 * Pure: every Python constraint Poetry honours: [tool.poetry.dependencies] python and [project]
 * requires-python in pyproject.toml, and the one the lock was made for ([metadata] python-versions).
 */
export function pythonRequirements(
  manifest: TomlTable,
  manifestText: string,
  lock: TomlTable,
  lockText: string,
): PythonRequirement[] {
  const tool = isTable(manifest.tool) && isTable(manifest.tool.poetry) ? manifest.tool.poetry : {};
  const deps = isTable(tool.dependencies) ? tool.dependencies : {};
  // [tool.poetry.dependencies] python may also be written as a table: python = { version = "^3.12" }.
  const python = isTable(deps.python) ? deps.python.version : deps.python;
  const project = isTable(manifest.project) ? manifest.project : {};
  const meta = isTable(lock.metadata) ? lock.metadata : {};
  return [
    ...tomlRequirement(MANIFEST, manifestText, "tool.poetry.dependencies", "python", python),
    ...tomlRequirement(MANIFEST, manifestText, "project", "requires-python", project["requires-python"]),
    ...tomlRequirement(LOCK, lockText, "metadata", "python-versions", meta["python-versions"]),
  ];
}

/** BP_POETRY_GROUPS="ml, main" -> ["main", "ml"] (sorted, unique); unset or blank -> ["main"]. */
export function readGroups(env: Env): string[] {
  const names = readNameList(env, GROUPS_ENV, errors.invalidGroups);
  return names.length ? names : DEFAULT_GROUPS;
}
