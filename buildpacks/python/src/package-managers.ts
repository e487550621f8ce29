// Exactly one package manager per app: the files that select one, and the check that only one is there.
import type { AppFiles } from "#libcnb";
import * as errors from "./errors.js";

/** Dependency files, each owned by one package manager buildpack, in the order messages list them. */
export const PACKAGE_MANAGER_FILES = [
  { file: "requirements.txt", manager: "pip" },
  { file: "poetry.lock", manager: "Poetry" },
  { file: "uv.lock", manager: "uv" },
  { file: "Pipfile.lock", manager: "Pipenv" },
  // conda apps are built by the conda group (no python buildpack in it: ml-buildpacks/conda checks the
  // same rule there); listed here so environment.yml next to another manager's file fails in every group.
  { file: "environment.yml", manager: "conda" },
  { file: "environment.yaml", manager: "conda" },
] as const;

export type PackageManagerFile = (typeof PACKAGE_MANAGER_FILES)[number];

/**
 * The package manager the app uses (undefined when it has none, e.g. a stdlib-only script).
 * pyproject.toml or a Pipfile without their lock don't count: requirements.txt next to a
 * pyproject.toml without lockfile stays pip's.
 */
export function checkPackageManagers(app: AppFiles): PackageManagerFile | undefined {
  const found = PACKAGE_MANAGER_FILES.filter((p) => app.isFile(p.file));
  if (found.length > 1) throw errors.multiplePackageManagers(found);
  return found[0];
}
