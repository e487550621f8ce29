#!/usr/bin/env node
// Generates buildpacks/python/src/manifest-data.ts: every CPython 3.10-3.14 patch release that
// python-build-standalone (PBS) publishes for linux-gnu x86_64 and aarch64, with its sha256.
//
// Upstream data: uv's crates/uv-python-managed/download-metadata.json lists the url and sha256 of every
// PBS asset uv installs (one, the preferred archive of the newest PBS release, per version and
// platform). GitHub is not reachable from every machine this runs on, PyPI is: the data is read from
// uv's sdist on PyPI, pinned by version and sha256 below.
//
//   node scripts/python-manifest.mjs            download the pinned sdist, write the selection
//                                               (scripts/python-manifest.input.json) and manifest-data.ts
//   node scripts/python-manifest.mjs --offline  re-render manifest-data.ts from the committed selection
//
// To take newer Python releases: bump UV_VERSION, UV_SDIST_PATH and UV_SDIST_SHA256 (PyPI's JSON API
// lists the sdist's url and sha256), run the script, review and commit both files.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const UV_VERSION = "0.13.9";
const UV_SDIST_PATH = "ac/0c/79150b54b20bd66a8725d5badba15d07573eca83be77e4ce581e6b9704df/uv-0.13.9.tar.gz";
const UV_SDIST_SHA256 = "dd6f4f93ddf8a668c73f0945f3638444b2140a4e15a3912067493fc6335543e4";
const FILES_HOST = "https://files.pythonhosted.org/packages";
const METADATA_MEMBER = `uv-${UV_VERSION}/crates/uv-python-managed/download-metadata.json`;
/** Every url must be a PBS release asset: the buildpack downloads <mirror>/<release>/<file>. */
const PBS_RELEASES = "https://github.com/astral-sh/python-build-standalone/releases/download/";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
export const INPUT_FILE = join(REPO, "scripts", "python-manifest.input.json");
export const OUTPUT_FILE = join(REPO, "buildpacks", "python", "src", "manifest-data.ts");

const ARCHES = { x86_64: "amd64", aarch64: "arm64" };
const MINORS = [10, 11, 12, 13, 14];

/**
 * @typedef {{ version: string, release: string, arch: string, file: string, sha256: string }} Entry
 */

/** Compares "3.12.4" and "3.12.10" numerically. */
function compareVersions(a, b) {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/**
 * The entries the buildpack pins, from uv's download metadata (an object of records): CPython 3.10-3.14
 * final releases, linux glibc, x86_64 (baseline, no v2/v3/v4 micro-architecture builds) and aarch64,
 * the default build (not debug or free-threaded). Per version and arch the newest PBS release wins.
 * Sorted newest version first, amd64 before arm64.
 * @param {Record<string, any>} metadata
 * @returns {Entry[]}
 */
export function selectEntries(metadata) {
  /** @type {Map<string, Entry>} */
  const best = new Map();
  for (const m of Object.values(metadata)) {
    const arch = ARCHES[m?.arch?.family];
    if (m?.name !== "cpython" || m.os !== "linux" || m.libc !== "gnu" || !arch) continue;
    if (m.arch.variant || m.variant || m.prerelease || m.major !== 3 || !MINORS.includes(m.minor)) continue;
    if (typeof m.url !== "string" || !m.url.startsWith(PBS_RELEASES)) {
      throw new Error(`unexpected url for cpython ${m.major}.${m.minor}.${m.patch}: ${m.url}`);
    }
    const [release, encoded, ...rest] = m.url.slice(PBS_RELEASES.length).split("/");
    if (!release || !encoded || rest.length > 0 || !/^[0-9a-f]{64}$/.test(m.sha256 ?? "")) {
      throw new Error(`unexpected url or sha256 for cpython ${m.major}.${m.minor}.${m.patch}: ${m.url}`);
    }
    const entry = {
      version: `3.${m.minor}.${m.patch}`,
      release,
      arch,
      file: decodeURIComponent(encoded),
      sha256: m.sha256,
    };
    const key = `${entry.version}/${arch}`;
    const seen = best.get(key);
    if (!seen || seen.release < entry.release) best.set(key, entry);
  }
  return [...best.values()].sort(
    (a, b) => compareVersions(b.version, a.version) || a.arch.localeCompare(b.arch),
  );
}

/**
 * manifest-data.ts's text for `entries` (as selectEntries returns them). A version is listed only when
 * both arches have it from the same PBS release (the manifest has one release per version).
 * @param {Entry[]} entries
 * @returns {string}
 */
export function renderManifest(entries) {
  /** @type {Map<string, Entry[]>} */
  const byVersion = new Map();
  for (const e of entries) byVersion.set(e.version, [...(byVersion.get(e.version) ?? []), e]);
  const tables = [];
  for (const [version, builds] of byVersion) {
    const releases = new Set(builds.map((b) => b.release));
    if (builds.length !== Object.keys(ARCHES).length || releases.size !== 1) continue;
    tables.push(`[python."${version}"]\nrelease = "${builds[0]?.release}"\n`);
    for (const b of builds) {
      tables.push(`[python."${version}".${b.arch}]\nfile = "${b.file}"\nsha256 = "${b.sha256}"\n`);
    }
  }
  return `// GENERATED by scripts/python-manifest.mjs from uv ${UV_VERSION}'s download-metadata.json (its sdist on
// PyPI, sha256-pinned in the script): do not edit by hand. To update, bump the uv pin there and run
// \`node scripts/python-manifest.mjs\`; buildpacks/python/test/manifest-data.test.ts checks this file is
// exactly what the script renders from scripts/python-manifest.input.json.
//
// The CPython builds the python buildpack may install, with their pinned sha256 sums, in the manifest's
// TOML format (see manifest.ts; BP_PYTHON_MANIFEST files use the same format): every CPython 3.10-3.14
// release python-build-standalone publishes for linux-gnu amd64 (x86_64) and arm64 (aarch64), the
// newest PBS release of each, as install_only_stripped archives where PBS has them, else install_only,
// else (3.10.0 only) the full archive. A build downloads <mirror>/<release>/<file> and refuses any file
// whose sha256 differs from the one here: a mirror supplies bytes, never pins.
export const BUILTIN_MANIFEST = \`
${tables.join("\n")}\`;
`;
}

async function downloadMetadata() {
  const res = await fetch(`${FILES_HOST}/${UV_SDIST_PATH}`);
  if (!res.ok) throw new Error(`downloading uv ${UV_VERSION}'s sdist: HTTP ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== UV_SDIST_SHA256) {
    throw new Error(`uv ${UV_VERSION}'s sdist has sha256 ${sha256}, expected ${UV_SDIST_SHA256}`);
  }
  const dir = mkdtempSync(join(tmpdir(), "python-manifest-"));
  try {
    const tarball = join(dir, "uv.tar.gz");
    writeFileSync(tarball, bytes);
    const json = execFileSync("tar", ["-xzOf", tarball, METADATA_MEMBER], { maxBuffer: 64 << 20 });
    return JSON.parse(json.toString("utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const offline = process.argv.includes("--offline");
  let entries;
  if (offline) {
    entries = JSON.parse(readFileSync(INPUT_FILE, "utf8"));
  } else {
    entries = selectEntries(await downloadMetadata());
    writeFileSync(INPUT_FILE, `${JSON.stringify(entries, null, 2)}\n`);
  }
  writeFileSync(OUTPUT_FILE, renderManifest(entries));
  const versions = new Set(entries.map((e) => e.version));
  process.stdout.write(`wrote ${OUTPUT_FILE}: ${versions.size} CPython versions\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
