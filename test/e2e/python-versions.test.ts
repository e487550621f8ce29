import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cli, docker, REGISTRY, REPO, RUN_ID, readReport, registryHas } from "./helpers.js";

// The python buildpack installing a CPython the stack doesn't have, through the real lifecycle, Docker
// and registry. GitHub (python-build-standalone's releases) is not reachable here, so the tarball
// comes from the local mirror scripts/python-mirror.sh builds and serves (a real CPython 3.11.2
// compiled from Debian's source package, in the install_only layout). Its sha256 is pinned by a TEST
// manifest that the build names with BP_PYTHON_MANIFEST; the buildpack's own manifest does not list
// 3.11.2, so without it the build would fail: the mirror alone cannot make the buildpack trust a file.
// The default builder (infra rebuilds it with every buildpack); ML_BUILDPACKS_E2E_BUILDER points the
// test at a private one while developing.
const builder = process.env.ML_BUILDPACKS_E2E_BUILDER || `${REGISTRY}/ml-buildpacks/builder:cpu`;
const MIRROR_DIR = join(REPO, ".infra", "python-mirror");
const MIRROR = `http://127.0.0.1:${process.env.PYTHON_MIRROR_PORT || "5481"}`;
const repository = `e2e/python-versions-${RUN_ID}`;
const image = `${REGISTRY}/${repository}:latest`;
// CPython 3.11.2 bundles pip 22.3.1, which verifies TLS against its own certifi bundle, not the system
// one; behind this machine's TLS-intercepting proxy pip needs the (mounted) system bundle, exactly as
// the pip buildpack's error message advises users. Newer pips (python-build-standalone's) use the system store.
const PIP_CERT = "PIP_CERT=/etc/ssl/certs/ca-certificates.crt";

let work: string;
let app: string;
let cacheDir: string;
let testManifest: string;
const cleanup: string[] = [];

function newApp(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "e2e-python-versions-"));
  cpSync(join(REPO, "test", "fixtures", "python-versions"), dir, { recursive: true });
  writeFileSync(join(dir, "python-manifest.toml"), testManifest);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

async function build(appDir: string, name: string, ref = image, cache = cacheDir) {
  const reportFile = join(work, `${name}.json`);
  mkdirSync(cache, { recursive: true });
  const result = await cli([
    "build",
    appDir,
    "--image",
    ref,
    "--builder",
    builder,
    "--cache-dir",
    cache,
    "--report",
    reportFile,
    "--env",
    `BP_PYTHON_MIRROR=${MIRROR}`,
    "--env",
    "BP_PYTHON_MANIFEST=python-manifest.toml",
    "--env",
    PIP_CERT,
    // These tests are about the lifecycle reusing layers; test/e2e/fast-path.test.ts covers skipping it.
    "--no-fast-path",
  ]);
  return { ...result, report: () => readReport(reportFile) };
}

async function runImage(ref: string) {
  const result = await docker(["run", "--rm", "--network", "host", "--pull", "always", ref]);
  expect(result.code, result.output).toBe(0);
  return result.output;
}

beforeAll(async () => {
  const manifestFile = join(MIRROR_DIR, "manifest.toml");
  if (!existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: run bash scripts/infra.sh`);
  testManifest = readFileSync(manifestFile, "utf8");
  const res = await fetch(`${MIRROR}/`).catch((e: unknown) => e);
  if (!(res instanceof Response) || !res.ok)
    throw new Error(`the python mirror ${MIRROR} is not up: run bash scripts/infra.sh`);
  work = mkdtempSync(join(tmpdir(), "e2e-python-versions-work-"));
  cacheDir = join(work, "cache");
  mkdirSync(cacheDir);
  app = newApp();
});

afterAll(() => {
  for (const p of cleanup) rmSync(p, { recursive: true, force: true });
});

describe("python buildpack: a CPython the stack doesn't have", () => {
  let firstDigest: string;

  test(".python-version 3.11: downloads, verifies and installs CPython; the venv and app run on it", async () => {
    const first = await build(app, "fresh");
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain(
      ".python-version line 1 asks for Python 3.11: installing 3.11.2, the newest 3.11 patch release this buildpack pins",
    );
    expect(first.output).toMatch(
      /Downloading cpython-3\.11\.2\+\d{8}-x86_64-unknown-linux-gnu-install_only\.tar\.gz from http:\/\/127\.0\.0\.1/,
    );
    expect(first.output).toMatch(/Verified sha256 [0-9a-f]{8}/);
    expect(first.output).toContain("Python 3.11.2, pip 22.3.1");
    const report = first.report();
    expect(report.layers.added).toEqual(
      expect.arrayContaining(["ml-buildpacks/python:cpython", "ml-buildpacks/pip:venv"]),
    );
    expect(report.layers.cacheAdded).toContain("ml-buildpacks/python:cpython");
    firstDigest = report.digest;

    // The run image has only Debian's 3.13: 3.11 comes from the cpython launch layer at the same path.
    const output = await runImage(report.imageRef);
    expect(output).toMatch(/^python 3\.11\.2$/m);
    expect(output).toContain("six 1.17.0");
    expect(output).toContain("executable /layers/ml-buildpacks_python/cpython/bin/python3.11");
    expect(output).toContain("prefix /layers/ml-buildpacks_pip/venv");
    expect(output).toMatch(/ssl OpenSSL 3\.\d+\.\d+.*; sqlite 3\.\d+\.\d+; zlib 1\.\d/);
    expect(output).toContain("ctypes strlen: 10");
    expect(output).toContain("uid 1000");
    const label = await docker([
      "image",
      "inspect",
      report.imageRef,
      "--format",
      '{{ index .Config.Labels "io.ml-buildpacks.python.version" }}',
    ]);
    expect(label.output).toBe("3.11.2");
  });

  test("a rebuild with no change reuses the cpython layer from the cache without downloading", async () => {
    const again = await build(app, "no-change");
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain("Reusing Python 3.11.2 from the build cache");
    expect(again.output).not.toContain("Downloading cpython");
    const report = again.report();
    expect(report.layers.reused).toEqual(
      expect.arrayContaining(["ml-buildpacks/python:cpython", "ml-buildpacks/pip:venv"]),
    );
    expect(report.layers.added).toEqual([]);
    expect(report.layers.cacheReused).toContain("ml-buildpacks/python:cpython");
    expect(report.digest).toBe(firstDigest);
  });

  test(".python-version 3.9: a clear end-of-life error listing the supported versions, nothing pushed", async () => {
    const repo = `e2e/python-eol-${RUN_ID}`;
    const result = await build(
      newApp({ ".python-version": "3.9\n" }),
      "eol",
      `${REGISTRY}/${repo}:1`,
      join(work, "eol-cache"),
    );
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("ERROR: Python 3.9 is end-of-life and not supported");
    expect(result.output).toContain("in .python-version:1");
    expect(result.output).toContain("Supported versions for linux/amd64: 3.11 (3.11.2)");
    expect(await registryHas(repo, "1")).toBe(false);
  });

  test("a mirror serving a tarball that doesn't match the pinned sha256: refused, nothing pushed", async () => {
    // A tampered copy of the real tarball under another release tag, with the manifest's pin unchanged.
    const manifest = testManifest.match(/^release = "(\d+)"$/m);
    const file = testManifest.match(/^file = "([^"]+)"$/m)?.[1];
    expect(manifest?.[1] && file).toBeTruthy();
    const tag = `tampered-${RUN_ID}`;
    const dir = join(MIRROR_DIR, "www", tag);
    cleanup.push(dir);
    mkdirSync(dir, { recursive: true });
    const bytes = readFileSync(join(MIRROR_DIR, "www", manifest?.[1] ?? "", file ?? ""));
    writeFileSync(join(dir, file ?? ""), Buffer.concat([bytes, Buffer.from("\0tampered")]));
    const tampered = newApp();
    writeFileSync(
      join(tampered, "python-manifest.toml"),
      testManifest.replace(/^release = "\d+"$/m, `release = "${tag}"`),
    );

    const repo = `e2e/python-tampered-${RUN_ID}`;
    const result = await build(tampered, "tampered", `${REGISTRY}/${repo}:1`, join(work, "tampered-cache"));
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`ERROR: The downloaded ${file} does not match its pinned sha256`);
    expect(result.output).toContain("nothing was installed");
    expect(await registryHas(repo, "1")).toBe(false);
  });
});
