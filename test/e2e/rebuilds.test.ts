import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { cli, docker, REGISTRY, REPO, RUN_ID, readReport } from "./helpers.js";

// Rebuilds like the best Python buildpacks: each change rebuilds exactly the layers it affects and
// the log says why. One app, one cache, one image, in order: the stack's Python, then a pinned minor
// (a CPython from the lab's mirror), a lock change, a code-only change, then back to the stack's
// Python. Every image is run. The fast path is off: this is about the lifecycle's layers.
const builder = process.env.ML_BUILDPACKS_E2E_BUILDER || `${REGISTRY}/ml-buildpacks/builder:cpu`;
const MIRROR_DIR = join(REPO, ".infra", "python-mirror");
const MIRROR = `http://127.0.0.1:${process.env.PYTHON_MIRROR_PORT || "5481"}`;
const image = `${REGISTRY}/e2e/rebuilds-${RUN_ID}:latest`;
const VENV = "ml-buildpacks/pip:venv";
const CPYTHON = "ml-buildpacks/python:cpython";

let work: string;
let app: string;
let stackPython: string;

async function build(name: string) {
  const reportFile = join(work, `${name}.json`);
  const result = await cli([
    "build",
    app,
    "--image",
    image,
    "--builder",
    builder,
    "--cache-dir",
    join(work, "cache"),
    "--report",
    reportFile,
    "--env",
    `BP_PYTHON_MIRROR=${MIRROR}`,
    "--env",
    "BP_PYTHON_MANIFEST=python-manifest.toml",
    // The mirror's CPython 3.11.2 bundles pip 22.3.1, which trusts only its own certifi bundle.
    "--env",
    "PIP_CERT=/etc/ssl/certs/ca-certificates.crt",
    "--no-fast-path",
  ]);
  expect(result.code, result.output).toBe(0);
  const report = readReport(reportFile);
  const run = await docker(["run", "--rm", "--pull", "always", report.imageRef]);
  expect(run.code, run.output).toBe(0);
  return { output: result.output, layers: report.layers, runs: run.output };
}

beforeAll(() => {
  const manifest = join(MIRROR_DIR, "manifest.toml");
  if (!existsSync(manifest)) throw new Error(`${manifest} is missing: run bash scripts/infra.sh`);
  work = mkdtempSync(join(tmpdir(), "e2e-rebuilds-"));
  mkdirSync(join(work, "cache"));
  app = join(work, "app");
  cpSync(join(REPO, "test", "fixtures", "python-versions"), app, { recursive: true });
  writeFileSync(join(app, "python-manifest.toml"), readFileSync(manifest, "utf8"));
  // The fixture pins 3.11; this story starts with nothing pinned.
  rmSync(join(app, ".python-version"), { force: true });
});

describe.sequential("rebuilds: each change rebuilds the layers it affects and says why", () => {
  test("the stack's Python: a venv, no CPython layer", async () => {
    const first = await build("stack");
    stackPython = /^python (3\.\d+\.\d+)$/m.exec(first.runs)?.[1] ?? "";
    expect(stackPython).toMatch(/^3\.1[3-9]\./);
    expect(first.layers.added).toContain(VENV);
    expect(first.layers.added).not.toContain(CPYTHON);
  });

  test("a pinned minor: the CPython layer is added, the venv is rebuilt because the Python changed", async () => {
    writeFileSync(join(app, ".python-version"), "3.11\n");
    const pinned = await build("pin-3.11");
    expect(pinned.runs).toMatch(/^python 3\.11\.2$/m);
    expect(pinned.layers.added).toEqual(expect.arrayContaining([CPYTHON, VENV]));
    expect(pinned.output).toContain("Discarding the virtual environment from the previous image:");
    expect(pinned.output).toContain(`Python ${stackPython} -> 3.11.2`);
  });

  test("a lock change rebuilds only the venv; the CPython layer is reused", async () => {
    writeFileSync(join(app, "requirements.txt"), "six==1.17.0\ntabulate==0.9.0\n");
    const locked = await build("lock-change");
    expect(locked.output).toMatch(/requirements\.txt changed \(sha256 [0-9a-f]+… -> [0-9a-f]+…\)/);
    expect(locked.layers.added).toContain(VENV);
    expect(locked.layers.reused).toContain(CPYTHON);
    expect(locked.output).not.toContain("Downloading cpython");
  });

  test("a code-only change reuses every dependency layer", async () => {
    writeFileSync(join(app, "app.py"), `${readFileSync(join(app, "app.py"), "utf8")}print("changed")\n`);
    const code = await build("code-only");
    expect(code.runs).toContain("changed");
    expect(code.layers.reused).toEqual(expect.arrayContaining([CPYTHON, VENV]));
    expect(code.layers.added).not.toContain(VENV);
    expect(code.output).toContain("Reusing virtual environment");
  });

  test("back to the stack's Python: the CPython layer goes, the venv is rebuilt and the log says why", async () => {
    writeFileSync(join(app, ".python-version"), "system\n");
    const back = await build("unpin");
    expect(back.runs).toContain(`python ${stackPython}`);
    expect(back.layers.added).toContain(VENV);
    expect(back.layers.reused).not.toContain(CPYTHON);
    expect(back.output).toContain(`Python 3.11.2 -> ${stackPython}`);
  });
});
