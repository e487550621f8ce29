import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Bump when the cache layout or key scheme changes: old entries are then never restored. */
export const CACHE_KEY_VERSION = "v1";

/** Files whose content decides what the dependency layers hold. */
export const DEPENDENCY_FILES = [
  "requirements.txt",
  "pyproject.toml",
  "poetry.lock",
  "uv.lock",
  "Pipfile",
  "Pipfile.lock",
  "environment.yml",
  "conda-lock.yml",
  "Aptfile",
  "hardware.txt",
  ".python-version",
] as const;

/** Pure: sha256 over the names and contents of the dependency files present (first 16 hex digits). */
export function dependencyHash(read: (name: string) => string | undefined): string {
  const hash = createHash("sha256");
  for (const name of DEPENDENCY_FILES) {
    const content = read(name);
    if (content === undefined) continue;
    hash.update(`${name}\0${content.length}\0`).update(content);
  }
  return hash.digest("hex").slice(0, 16);
}

export function dependencyHashOfDir(appDir: string): string {
  return dependencyHash((name) => {
    const file = join(appDir, name);
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  });
}

export interface CacheKeyInputs {
  /** Runner OS, e.g. Linux. */
  os: string;
  /** e.g. amd64, arm64. */
  arch: string;
  /** Stack flavor, e.g. cpu, cuda. */
  flavor: string;
  /** User-chosen scope; defaults to <flavor>-<arch>. */
  scope: string | undefined;
  builderDigest: string;
  dependencyHash: string;
}

export interface CacheKeys {
  scope: string;
  primary: string;
  /** Newest first: same builder any deps, then any builder in the same scope. */
  restoreKeys: string[];
}

/** Lowercase: cache services may fold key case (act's does), and a hit is judged by comparing keys. */
const sanitize = (s: string) => s.toLowerCase().replace(/[^a-z0-9._-]+/g, "-");

/**
 * Pure: one scope per (flavor, arch) so matrix jobs never clobber each other; within a scope, an exact
 * hit needs the same builder and dependency files, and a prefix match restores the scope's newest cache.
 */
export function cacheKeys(i: CacheKeyInputs): CacheKeys {
  const scope = sanitize(i.scope ?? `${i.flavor}-${i.arch}`);
  const base = `ml-buildpacks-${CACHE_KEY_VERSION}-${sanitize(i.os)}-${scope}`;
  const builder = sanitize(i.builderDigest.replace(/^sha256:/, "").slice(0, 16));
  return {
    scope,
    primary: `${base}-${builder}-${i.dependencyHash}`,
    restoreKeys: [`${base}-${builder}-`, `${base}-`],
  };
}

/** Flavor from a builder reference's tag (builder:cpu, builder:cuda-arm64 -> cpu, cuda). */
export function flavorOf(builderRef: string): string {
  const tag = /:([\w][\w.-]*)$/.exec(builderRef.replace(/@sha256:[a-f0-9]+$/, ""))?.[1] ?? "default";
  return tag.split("-")[0] ?? tag;
}
