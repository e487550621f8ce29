// What the venv is built from: Pipfile and Pipfile.lock (read and checked here, before pipenv runs,
// so a broken file is reported with its line), and the categories the build env asks for.
import { createHash } from "node:crypto";
import { type AppFiles, type Env, parseToml, TomlSyntaxError } from "../../../src/libcnb/index.js";
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
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
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
  const lockBytes = app.readBytes(LOCK);
  if (!lockBytes) throw new Error(`${LOCK} disappeared from the app`);
  const manifestBytes = app.isFile(MANIFEST) ? app.readBytes(MANIFEST) : undefined;
  if (!manifestBytes) throw errors.missingManifest(LOCK, MANIFEST);
  try {
    parseToml(Buffer.from(manifestBytes).toString("utf8"), MANIFEST);
  } catch (err) {
    if (err instanceof TomlSyntaxError) throw errors.unparsablePipfile(MANIFEST, err.line, err.message);
    throw err;
  }
  const lock = parseLock(Buffer.from(lockBytes).toString("utf8")) as {
    _meta?: { hash?: { sha256?: unknown } };
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
  };
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
  const value = env[CATEGORIES_ENV] ?? "";
  const names = [...new Set(value.split(/[\s,]+/).filter(Boolean))].sort();
  const bad = names.filter((n) => !/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(n));
  if (bad.length) throw errors.invalidCategories(CATEGORIES_ENV, value, bad);
  return names.length ? names : DEFAULT_CATEGORIES;
}
