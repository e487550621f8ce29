import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { cli, docker, REGISTRY, REPO, RUN_ID, readReport, registryHas } from "./helpers.js";

// The python buildpack's one decision over every declared constraint, through the real CLI, lifecycle,
// Docker and registry: a conflict fails before anything is installed, runtime.txt is read (with a
// deprecation warning), build env that breaks Python is refused naming the variable, and every image
// has a `python` command. Only CPython 3.11.2 can really be downloaded here: from the local mirror
// scripts/python-mirror.sh serves, pinned by its test manifest (see python-versions.test.ts).
const builder = process.env.ML_BUILDPACKS_E2E_BUILDER || `${REGISTRY}/ml-buildpacks/builder:cpu`;
const MIRROR_DIR = join(REPO, ".infra", "python-mirror");
const MIRROR = `http://127.0.0.1:${process.env.PYTHON_MIRROR_PORT || "5481"}`;
// A stdlib-only app: no package manager, so no venv puts its own `python` on PATH.
const APP_PY = 'import platform\nprint(f"app on python {platform.python_version()}")\n';

let work: string;
let testManifest: string;

function appWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "e2e-python-decision-"));
  writeFileSync(join(dir, "app.py"), APP_PY);
  writeFileSync(join(dir, "python-manifest.toml"), testManifest);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

async function build(appDir: string, name: string, ref: string, env: string[] = []) {
  const reportFile = join(work, `${name}.json`);
  const cache = join(work, `${name}-cache`);
  mkdirSync(cache, { recursive: true });
  const envArgs = env.flatMap((e) => ["--env", e]);
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
    "--no-fast-path",
    ...envArgs,
  ]);
  return { ...result, report: () => readReport(reportFile) };
}

/** Runs `command` in the image through the CNB launcher, with the image's launch env (PATH included). */
async function runInImage(ref: string, command: string[]) {
  return docker([
    "run",
    "--rm",
    "--network",
    "host",
    "--pull",
    "always",
    "--entrypoint",
    "/cnb/lifecycle/launcher",
    ref,
    ...command,
  ]);
}

beforeAll(async () => {
  const manifestFile = join(MIRROR_DIR, "manifest.toml");
  if (!existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: run bash scripts/infra.sh`);
  testManifest = readFileSync(manifestFile, "utf8");
  const res = await fetch(`${MIRROR}/`).catch((e: unknown) => e);
  if (!(res instanceof Response) || !res.ok)
    throw new Error(`the python mirror ${MIRROR} is not up: run bash scripts/infra.sh`);
  work = mkdtempSync(join(tmpdir(), "e2e-python-decision-work-"));
});

describe("python buildpack: one decision over every declared constraint", () => {
  test(".python-version 3.13 vs requires-python 3.11.*: fails before installing, naming both files and lines", async () => {
    const repo = `e2e/python-conflict-${RUN_ID}`;
    const app = appWith({
      ".python-version": "3.13\n",
      "pyproject.toml": '[project]\nname = "app"\nversion = "0"\nrequires-python = "3.11.*"\n',
    });
    const result = await build(app, "conflict", `${REGISTRY}/${repo}:1`);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      "ERROR: Python version requirements disagree: .python-version line 1 asks for 3.13",
    );
    expect(result.output).toContain("in .python-version:1");
    expect(result.output).toContain('pyproject.toml line 4: [project] requires-python = "3.11.*"');
    expect(result.output).toContain(
      "change .python-version line 1 to 3.11, or widen [project] requires-python in pyproject.toml line 4",
    );
    // Before installing anything: no download, no other buildpack ran, nothing pushed.
    expect(result.output).not.toContain("Downloading cpython");
    expect(result.output).not.toContain("[Installing Python");
    expect(await registryHas(repo, "1")).toBe(false);
  });

  test("runtime.txt python-3.11.2: read with a deprecation warning; the image's `python --version` is 3.11.2", async () => {
    const repo = `e2e/python-runtime-txt-${RUN_ID}`;
    const app = appWith({ "runtime.txt": "python-3.11.2\n" });
    const result = await build(app, "runtime-txt", `${REGISTRY}/${repo}:1`, [
      `BP_PYTHON_MIRROR=${MIRROR}`,
      "BP_PYTHON_MANIFEST=python-manifest.toml",
    ]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(
      "WARNING: runtime.txt is deprecated: pin the version in .python-version instead",
    );
    expect(result.output).toContain('Write "3.11.2" into .python-version and delete runtime.txt');
    expect(result.output).toContain(
      "runtime.txt line 1 asks for Python 3.11.2: installing 3.11.2, that exact build",
    );
    const ref = result.report().imageRef;
    const version = await runInImage(ref, ["python", "--version"]);
    expect(version.code, version.output).toBe(0);
    expect(version.output).toMatch(/^Python 3\.11\.2$/m);
    const app2 = await runInImage(ref, ["python", "app.py"]);
    expect(app2.output).toMatch(/^app on python 3\.11\.2$/m);
  });

  test("nothing requested: the stack's Python, a log line recommending a pin, and `python` on PATH", async () => {
    const repo = `e2e/python-unpinned-${RUN_ID}`;
    const result = await build(appWith({}), "unpinned", `${REGISTRY}/${repo}:1`);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(
      /No Python version requested \(looked at \.python-version, runtime\.txt, .*\): using the stack's Python 3\.13\.\d+/,
    );
    expect(result.output).toContain('Pin it for repeatable builds: write "3.13" into .python-version');
    const version = await runInImage(result.report().imageRef, ["python", "--version"]);
    expect(version.code, version.output).toBe(0);
    expect(version.output).toMatch(/^Python 3\.13\.\d+$/m);
  });

  test("PYTHONHOME in the build env (--env): refused up front, naming the variable and where it is set", async () => {
    const repo = `e2e/python-pythonhome-${RUN_ID}`;
    const result = await build(appWith({}), "pythonhome", `${REGISTRY}/${repo}:1`, ["PYTHONHOME=/usr/local"]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      "ERROR: The build environment sets PYTHONHOME, which breaks Python builds",
    );
    expect(result.output).toContain("PYTHONHOME=/usr/local: replaces the interpreter's prefix");
    expect(result.output).toContain("the CLI's --env");
    expect(result.output).not.toContain("[Determining Python version]");
    expect(await registryHas(repo, "1")).toBe(false);
  });

  test("a UTF-16 .python-version (PowerShell's >) is reported as the file's encoding problem", async () => {
    const repo = `e2e/python-utf16-${RUN_ID}`;
    const app = appWith({});
    writeFileSync(join(app, ".python-version"), Buffer.from("\uFEFF3.11\r\n", "utf16le"));
    const result = await build(app, "utf16", `${REGISTRY}/${repo}:1`);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("ERROR: .python-version is not UTF-8 text");
    expect(result.output).toContain("is encoded as UTF-16");
    expect(await registryHas(repo, "1")).toBe(false);
  });
});
