// The CPython builds this buildpack can install: version -> arch -> file + sha256 (manifest.toml).
//
// Trust: the manifest, not the mirror, decides what may be installed. BP_PYTHON_MIRROR only says where
// to fetch the bytes from; every file is checked against the sha256 pinned here before it is unpacked,
// so a mirror (or anyone in the middle) cannot substitute an interpreter. The pins ship inside the
// buildpack (manifest-data.ts, bundled into bin/main.mjs). BP_PYTHON_MANIFEST can replace them with a
// local file, and deliberately only a local file (never a URL): choosing other pins is a decision of
// whoever configures the build (platform env, project.toml), which a mirror alone can never make.
// The tests use it to pin a CPython built on the test machine (scripts/python-mirror.sh).
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { type Env, isNotFound, isTable, parseToml, TomlSyntaxError } from "#libcnb";
import { compareReleases, parseVersion } from "#pybuild/python-constraint";
import * as errors from "./errors.js";
import { BUILTIN_MANIFEST } from "./manifest-data.js";

/** How messages name the buildpack's own manifest. */
export const BUILTIN_SOURCE = "the buildpack's built-in manifest";
export const MIRROR_ENV = "BP_PYTHON_MIRROR";
export const MANIFEST_ENV = "BP_PYTHON_MANIFEST";
/** python-build-standalone's release downloads: <mirror>/<release>/<file>. */
export const DEFAULT_MIRROR = "https://github.com/astral-sh/python-build-standalone/releases/download";

/** CPython minors this buildpack supports (3.10 to 3.14); older ones are end-of-life. */
export const OLDEST_MINOR = 10;
export const NEWEST_MINOR = 14;

export interface Build {
  version: string;
  /** python-build-standalone release tag (a date, e.g. "20260814"). */
  release: string;
  arch: string;
  file: string;
  sha256: string;
}

export interface Manifest {
  /** Where it was read from, for messages. */
  source: string;
  builtin: boolean;
  builds: Build[];
}

const VERSION = /^3\.\d+\.\d+$/;
const SHA256 = /^[0-9a-f]{64}$/;
const FILE = /^[A-Za-z0-9._+-]+\.tar\.(gz|zst)$/;

/** python-build-standalone's full archive (python/install/...), not an install_only one (python/...). */
export function isFullArchive(build: Pick<Build, "file">): boolean {
  return build.file.endsWith(".tar.zst") && !build.file.includes("install_only");
}

export function isSupported(version: string): boolean {
  const minor = parseVersion(version)[1] ?? 0;
  return minor >= OLDEST_MINOR && minor <= NEWEST_MINOR;
}

/** Parses manifest text; `source` names the file in errors. */
export function parseManifest(text: string, source: string, builtin: boolean): Manifest {
  let toml: ReturnType<typeof parseToml>;
  try {
    toml = parseToml(text, source);
  } catch (err) {
    if (err instanceof TomlSyntaxError) throw errors.invalidManifest(source, err.message, err.line);
    throw err;
  }
  const python = toml.python;
  if (!isTable(python)) throw errors.invalidManifest(source, 'it has no [python."X.Y.Z"] tables');
  const builds: Build[] = [];
  for (const [version, entry] of Object.entries(python)) {
    if (!VERSION.test(version) || !isTable(entry) || typeof entry.release !== "string") {
      throw errors.invalidManifest(source, `[python."${version}"] needs a X.Y.Z version and a release`);
    }
    for (const [arch, b] of Object.entries(entry)) {
      if (arch === "release") continue;
      if (
        !isTable(b) ||
        typeof b.file !== "string" ||
        !FILE.test(b.file) ||
        typeof b.sha256 !== "string" ||
        !SHA256.test(b.sha256)
      ) {
        throw errors.invalidManifest(
          source,
          `[python."${version}".${arch}] needs file = "<name>.tar.gz" (or a full archive .tar.zst) and sha256 = "<64 lowercase hex digits>"`,
        );
      }
      builds.push({ version, release: entry.release, arch, file: b.file, sha256: b.sha256 });
    }
  }
  return { source, builtin, builds };
}

/**
 * The buildpack's own manifest, unless BP_PYTHON_MANIFEST names another file (relative to the app,
 * or absolute).
 */
export function loadManifest(appDir: string, env: Env): Manifest {
  const override = env[MANIFEST_ENV]?.trim();
  if (!override) return parseManifest(BUILTIN_MANIFEST, BUILTIN_SOURCE, true);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(override)) throw errors.manifestNotAFile(override);
  const path = isAbsolute(override) ? override : join(appDir, override);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (isNotFound(err)) throw errors.manifestMissing(override, path);
    throw err;
  }
  return parseManifest(text, override, false);
}

/** Supported versions built for `arch`, newest first. */
export function availableVersions(manifest: Manifest, arch: string): string[] {
  return manifest.builds
    .filter((b) => b.arch === arch && isSupported(b.version))
    .map((b) => b.version)
    .sort((a, b) => compareReleases(parseVersion(b), parseVersion(a)));
}

export function findBuild(manifest: Manifest, version: string, arch: string): Build | undefined {
  return manifest.builds.find((b) => b.version === version && b.arch === arch);
}

/** "3.10 (3.10.0 to 3.10.21), 3.11 (...)": what the manifest has for `arch`, per minor. */
export function describeAvailable(versions: readonly string[]): string {
  const byMinor = new Map<string, string[]>();
  for (const v of versions) {
    const minor = v.split(".").slice(0, 2).join(".");
    byMinor.set(minor, [...(byMinor.get(minor) ?? []), v]);
  }
  return [...byMinor.entries()]
    .sort((a, b) => compareReleases(parseVersion(a[0]), parseVersion(b[0])))
    .map(([minor, vs]) => {
      const sorted = [...vs].sort((a, b) => compareReleases(parseVersion(a), parseVersion(b)));
      const first = sorted[0] ?? "";
      const last = sorted[sorted.length - 1] ?? "";
      return sorted.length === 1 ? `${minor} (${first})` : `${minor} (${first} to ${last})`;
    })
    .join(", ");
}

export function mirrorBase(env: Env): string {
  return (env[MIRROR_ENV]?.trim() || DEFAULT_MIRROR).replace(/\/+$/, "");
}

/** <mirror>/<release>/<file>, the file name URL-encoded ("+" -> %2B) as GitHub's asset links are. */
export function downloadUrl(mirror: string, build: Build): string {
  return `${mirror}/${encodeURIComponent(build.release)}/${encodeURIComponent(build.file)}`;
}
