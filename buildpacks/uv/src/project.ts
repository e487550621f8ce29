// What the venv is built from: pyproject.toml and uv.lock (read and checked here, before uv runs,
// so a broken file is reported with its line), and the dependency groups the build env asks for.
import { type AppFiles, type Env, isTable, type TomlTable } from "#libcnb";
import { readNameList, readPyprojectAndLock, sha256 } from "#pybuild/project-files";
import type { PythonRequirement } from "#pybuild/python-constraint";
import { tomlRequirement } from "#pybuild/toml-requirement";
import { LOCK, MANIFEST } from "./detect.js";
import * as errors from "./errors.js";

export const GROUPS_ENV = "BP_UV_GROUPS";

export interface UvProject {
  /** sha256 of uv.lock as committed (what `sha256sum uv.lock` prints). */
  lockSha256: string;
  /** sha256 of pyproject.toml: [tool.uv] settings and default groups live there. */
  manifestSha256: string;
  /** Lock format version (the lock's top-level `version`). */
  lockVersion: number;
  /** [[package]] entries in the lock (the project itself included). */
  packages: number;
  /** Locked packages other than the project built from app folders (workspace members, path deps). */
  localPackages: string[];
  /** requires-python of pyproject.toml's [project] and of the lock (the range uv resolved for). */
  python: PythonRequirement[];
}

export function readProject(app: AppFiles): UvProject {
  const { lockBytes, lockText, manifestBytes, manifestText, manifest, lock } = readPyprojectAndLock(
    app,
    "uv",
    LOCK,
    "uv lock",
  );
  if (typeof lock.version !== "number") throw errors.notAUvLock(LOCK);
  const entries = Array.isArray(lock.package) ? lock.package.filter(isTable) : [];
  return {
    lockSha256: sha256(lockBytes),
    manifestSha256: sha256(manifestBytes),
    lockVersion: lock.version,
    packages: entries.length,
    localPackages: localPackages(entries),
    python: pythonRequirements(manifest, manifestText, lock, lockText),
  };
}

/** Pure: pyproject.toml's [project] requires-python and uv.lock's top-level requires-python. */
export function pythonRequirements(
  manifest: TomlTable,
  manifestText: string,
  lock: TomlTable,
  lockText: string,
): PythonRequirement[] {
  const project = isTable(manifest.project) ? manifest.project : {};
  return [
    ...tomlRequirement(MANIFEST, manifestText, "project", "requires-python", project["requires-python"]),
    ...tomlRequirement(LOCK, lockText, "", "requires-python", lock["requires-python"]),
  ];
}

/**
 * Pure: lock entries uv builds from app folders (`source = { editable | path | directory = ... }`),
 * the project itself (".", never installed: --no-install-project) left out.
 */
export function localPackages(entries: readonly TomlTable[]): string[] {
  return entries
    .filter((p) => {
      const source = isTable(p.source) ? p.source : {};
      return ["editable", "path", "directory"].some(
        (k) => typeof source[k] === "string" && source[k] !== ".",
      );
    })
    .map((p) => String(p.name))
    .sort();
}

/** BP_UV_GROUPS="dev, ml" -> ["dev", "ml"] (sorted, unique); unset or blank -> []. */
export function readGroups(env: Env): string[] {
  return readNameList(env, GROUPS_ENV, errors.invalidGroups);
}
