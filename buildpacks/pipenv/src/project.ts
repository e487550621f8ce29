// What the venv is built from: Pipfile and Pipfile.lock (read and checked here, before pipenv runs,
// so a broken file is reported with its line), and the categories the build env asks for.
import { type AppFiles, type Env, isTable, type TomlTable } from "#libcnb";
import { parseTomlFile, readLockAndManifest, readNameList, sha256 } from "#pybuild/project-files";
import type { PythonRequirement } from "#pybuild/python-constraint";
import { tomlRequirement } from "#pybuild/toml-requirement";
import { LOCK, MANIFEST } from "./detect.js";
import * as errors from "./errors.js";

export const CATEGORIES_ENV = "BP_PIPENV_CATEGORIES";
export const DEFAULT_CATEGORIES = ["packages"];

export interface PipenvProject {
  /** sha256 of Pipfile.lock as committed (what `sha256sum Pipfile.lock` prints). */
  lockSha256: string;
  /** sha256 of the Pipfile: the deploy check compares it with the lock, so it is part of the key. */
  manifestSha256: string;
  /** The Pipfile hash the lock was made from (_meta.hash.sha256). */
  lockedPipfileHash: string;
  /** Packages in the lock's "default" section ([packages]). */
  packages: number;
  /** Locked packages installed from a path in the app (`path = "..."`), which pipenv reads at install. */
  localPackages: string[];
  /** The Pipfile's [requires] python_version / python_full_version and the lock's _meta.requires copy. */
  python: PythonRequirement[];
}

/** 1-based line of a JSON.parse error, from "at position N" or "(line L column C)" in its message. */
export function jsonErrorLine(text: string, message: string): number | undefined {
  const line = /\(line (\d+) column \d+\)/.exec(message);
  if (line?.[1]) return Number(line[1]);
  const pos = /at position (\d+)/.exec(message);
  if (pos?.[1]) return text.slice(0, Number(pos[1])).split("\n").length;
  if (/Unexpected end of JSON input/.test(message)) return text.split("\n").length;
  return undefined;
}

function parseLock(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw errors.unparsableLock(LOCK, jsonErrorLine(text, message), message);
  }
}

export function readProject(app: AppFiles): PipenvProject {
  const { lockBytes, lockText, manifestBytes, manifestText } = readLockAndManifest(app, LOCK, MANIFEST, () =>
    errors.missingManifest(LOCK, MANIFEST),
  );
  const manifest = parseTomlFile(
    MANIFEST,
    manifestText,
    `Fix the ${MANIFEST}, then run \`pipenv lock\` and commit both files.`,
  );
  const lock = parseLock(lockText) as {
    _meta?: { hash?: { sha256?: unknown }; requires?: unknown };
    default?: unknown;
    develop?: unknown;
  };
  const hash = lock?._meta?.hash?.sha256;
  if (typeof hash !== "string") throw errors.notAPipfileLock(LOCK);
  const section = lock.default;
  const packages = section && typeof section === "object" ? Object.keys(section).length : 0;
  return {
    lockSha256: sha256(lockBytes),
    manifestSha256: sha256(manifestBytes),
    lockedPipfileHash: hash,
    packages,
    localPackages: pathPackages(lock as Record<string, unknown>),
    python: pythonRequirements(manifest, manifestText, lock._meta?.requires, lockText),
  };
}

const REQUIRES_KEYS = ["python_full_version", "python_version"] as const;

/**
 * Pure: python_full_version / python_version from the Pipfile's [requires] and from the lock's
 * _meta.requires (what it was locked for). Both name a release: "3.12" is that minor, any patch
 * (pipenv compares it with the interpreter's major.minor), "3.12.4" that exact version.
 */
export function pythonRequirements(
  manifest: TomlTable,
  manifestText: string,
  lockRequires: unknown,
  lockText: string,
): PythonRequirement[] {
  const found: PythonRequirement[] = [];
  const requires = isTable(manifest.requires) ? manifest.requires : {};
  const locked =
    lockRequires && typeof lockRequires === "object" ? (lockRequires as Record<string, unknown>) : {};
  for (const key of REQUIRES_KEYS)
    found.push(...tomlRequirement(MANIFEST, manifestText, "requires", key, requires[key]));
  for (const key of REQUIRES_KEYS) {
    const value = locked[key];
    if (typeof value !== "string") continue;
    const at = lockText.split(/\r?\n/).findIndex((l) => l.includes(`"${key}"`));
    found.push({
      file: LOCK,
      setting: `_meta.requires.${key}`,
      text: value,
      ...(at >= 0 ? { line: at + 1 } : {}),
    });
  }
  return found;
}

/** Pure: names of the lock's entries (any category) that install from a local path. */
export function pathPackages(lock: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const [category, section] of Object.entries(lock)) {
    if (category === "_meta" || !section || typeof section !== "object") continue;
    for (const [name, entry] of Object.entries(section as Record<string, unknown>))
      if (entry && typeof entry === "object" && "path" in entry) names.push(name);
  }
  return names.sort();
}

/** BP_PIPENV_CATEGORIES="dev-packages packages" -> ["dev-packages", "packages"] (sorted, unique); unset -> ["packages"]. */
export function readCategories(env: Env): string[] {
  const names = readNameList(env, CATEGORIES_ENV, errors.invalidCategories);
  return names.length ? names : DEFAULT_CATEGORIES;
}
