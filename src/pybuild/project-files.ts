// Reading a lock-file installer's committed files (the lock and its manifest) and its build env
// lists, before the tool runs, so that a broken file or setting is reported with its line.
import { createHash } from "node:crypto";
import {
  type AppFiles,
  type BuildpackError,
  type Env,
  parseToml,
  TomlSyntaxError,
  type TomlTable,
} from "../libcnb/index.js";
import { lockWithoutProject, unparsableToml } from "./project-errors.js";

const PYPROJECT = "pyproject.toml";

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export interface LockAndManifest {
  lockBytes: Uint8Array;
  lockText: string;
  manifestBytes: Uint8Array;
  manifestText: string;
}

/** Both files as committed; without the manifest, the installer's own `missing` error. */
export function readLockAndManifest(
  app: AppFiles,
  lock: string,
  manifest: string,
  missing: () => BuildpackError,
): LockAndManifest {
  const lockBytes = app.readBytes(lock);
  if (!lockBytes) throw new Error(`${lock} disappeared from the app`);
  const manifestBytes = app.isFile(manifest) ? app.readBytes(manifest) : undefined;
  if (!manifestBytes) throw missing();
  return {
    lockBytes,
    lockText: Buffer.from(lockBytes).toString("utf8"),
    manifestBytes,
    manifestText: Buffer.from(manifestBytes).toString("utf8"),
  };
}

/** Parses a TOML file; a syntax error names the file and line, and `fix` says what to do. */
export function parseTomlFile(file: string, text: string, fix: string): TomlTable {
  try {
    return parseToml(text, file);
  } catch (err) {
    if (err instanceof TomlSyntaxError) throw unparsableToml(file, err.line, err.message, fix);
    throw err;
  }
}

/**
 * `variable`="dev, ml" -> ["dev", "ml"] (sorted, unique; commas or spaces between); unset or blank
 * -> []. A name that is not a valid group/category name throws `invalid(variable, value, bad)`.
 */
export function readNameList(
  env: Env,
  variable: string,
  invalid: (variable: string, value: string, bad: string[]) => BuildpackError,
): string[] {
  const value = env[variable] ?? "";
  const names = [...new Set(value.split(/[\s,]+/).filter(Boolean))].sort();
  const bad = names.filter((n) => !/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(n));
  if (bad.length) throw invalid(variable, value, bad);
  return names;
}

/** The files of an installer that installs a project from pyproject.toml and its TOML lock. */
export interface PyprojectAndLock extends LockAndManifest {
  manifest: TomlTable;
  lock: TomlTable;
}

/** `tool` (e.g. "uv") writes `lock` with `relock` (e.g. "uv lock"): the errors say so. */
export function readPyprojectAndLock(
  app: AppFiles,
  tool: string,
  lock: string,
  relock: string,
): PyprojectAndLock {
  const files = readLockAndManifest(app, lock, PYPROJECT, () => lockWithoutProject(tool, lock, PYPROJECT));
  return {
    ...files,
    manifest: parseTomlFile(PYPROJECT, files.manifestText, `Fix ${PYPROJECT}, then run \`${relock}\`.`),
    lock: parseTomlFile(
      lock,
      files.lockText,
      `${tool} writes this file: don't edit it by hand. Regenerate it with \`${relock}\` and commit it.`,
    ),
  };
}
