import { execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cli, copyApp, docker, REGISTRY, REPO, RUN_ID, registryHas } from "./helpers.js";

// Issue #15, "a stale lock never builds": with the real CLI, lifecycle, registry and PyPI, a lock that
// no longer matches its manifest fails with the tool's words and the command that fixes it, and pushes
// no image; the same app with its lock up to date builds, and the image prints the locked package's
// version. Apps are the examples, copied to temp dirs and edited here.
const builder = process.env.ML_BUILDPACKS_E2E_BUILDER || `${REGISTRY}/ml-buildpacks/builder:cpu`;
let work: string;
const cleanup: string[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "e2e-stale-locks-"));
  cleanup.push(work);
});

afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

function app(example: string): string {
  const dir = copyApp(example);
  cleanup.push(dir);
  return dir;
}

/** One cache dir per package manager: the failing build after the fresh one reuses its tool layer. */
function build(dir: string, repository: string, cache: string, extra: string[] = []) {
  return cli([
    "build",
    dir,
    "--image",
    `${REGISTRY}/${repository}:1`,
    "--builder",
    builder,
    "--cache-dir",
    join(work, `${cache}-cache`),
    ...extra,
  ]);
}

async function expectBuiltAndRuns(dir: string, repository: string, cache: string, expected: string) {
  const result = await build(dir, repository, cache);
  expect(result.code, result.output).toBe(0);
  const run = await docker(["run", "--rm", "--network", "host", `${REGISTRY}/${repository}:1`]);
  expect(run.code, run.output).toBe(0);
  expect(run.output).toContain(expected);
}

async function expectRefused(dir: string, repository: string, cache: string, messages: string[]) {
  const result = await build(dir, repository, cache);
  expect(result.code, result.output).not.toBe(0);
  for (const m of messages) expect(result.output).toContain(m);
  expect(result.output).toContain("a buildpack failed while building the app");
  expect(await registryHas(repository, "1")).toBe(false);
  return result.output;
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, "utf8");
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: ${String(from)} not found`);
  writeFileSync(file, next);
}

describe("uv", () => {
  test("an up-to-date uv.lock builds and the image imports the locked tabulate", async () => {
    await expectBuiltAndRuns(
      app("uv-app"),
      `e2e/stale-uv-fresh-${RUN_ID}`,
      "uv",
      "uv-app: tabulate 0.9.0 from",
    );
  });

  test("pyproject.toml declaring a package uv.lock lacks fails with uv's message and the fix", async () => {
    const dir = app("uv-app");
    edit(join(dir, "pyproject.toml"), '"tabulate>=0.9,<0.10"', '"tabulate>=0.9,<0.10", "six>=1.16"');
    await expectRefused(dir, `e2e/stale-uv-${RUN_ID}`, "uv", [
      "! ERROR: uv.lock is out of date with pyproject.toml",
      "!   in uv.lock",
      "`uv sync --locked` says:",
      "needs to be updated, but `--locked` was provided",
      "Run `uv lock`, commit uv.lock, and build again.",
    ]);
  });
});

describe("the installer checks the Python against the lock's own constraint", () => {
  // pyproject.toml allows the stack's 3.13 (so ml-buildpacks/python picks it), the lock was made for
  // 3.14 only: the installer fails before installing, naming the lock's line.
  test("uv.lock requires-python excluding the chosen Python", async () => {
    const dir = app("uv-app");
    edit(join(dir, "uv.lock"), /^requires-python = "[^"]*"/m, 'requires-python = ">=3.14"');
    await expectRefused(dir, `e2e/stale-uv-py-${RUN_ID}`, "uv", [
      '! ERROR: Python 3.13.5 is outside uv.lock\'s requires-python = ">=3.14"',
      "!   in uv.lock:3",
      "widen requires-python in pyproject.toml, run `uv lock`",
    ]);
  });

  test("poetry.lock [metadata] python-versions excluding the chosen Python", async () => {
    const dir = app("poetry-app");
    edit(
      join(dir, "poetry.lock"),
      /(\[metadata\][^[]*?)python-versions = "[^"]*"/,
      '$1python-versions = "^3.14"',
    );
    const output = await expectRefused(dir, `e2e/stale-poetry-py-${RUN_ID}`, "poetry", [
      '! ERROR: Python 3.13.5 does not satisfy poetry.lock\'s [metadata] python-versions = "^3.14"',
      "!   in poetry.lock:32",
      "run `poetry lock`",
    ]);
    expect(output).not.toContain("Exporting poetry.lock");
  });
});

describe("Poetry", () => {
  test("an up-to-date poetry.lock builds and the image imports the locked tabulate", async () => {
    await expectBuiltAndRuns(
      app("poetry-app"),
      `e2e/stale-poetry-fresh-${RUN_ID}`,
      "poetry",
      "poetry-app: tabulate 0.9.0 from",
    );
  });

  test("pyproject.toml changed since poetry.lock fails with Poetry's message and `poetry lock`", async () => {
    const dir = app("poetry-app");
    edit(join(dir, "pyproject.toml"), '"tabulate (>=0.9,<0.10)"', '"tabulate (>=0.9,<0.10)", "six (>=1.16)"');
    await expectRefused(dir, `e2e/stale-poetry-${RUN_ID}`, "poetry", [
      "! ERROR: poetry.lock is out of date with pyproject.toml",
      "`poetry check --lock` says:",
      "Run `poetry lock`, commit poetry.lock, and build again.",
    ]);
  });

  // .python-version asks for the stack's 3.13, which "^3.14" excludes. Before issue #15 pip skipped
  // tabulate (marker python_version >= "3.14") and the build passed. ml-buildpacks/python now refuses
  // the conflict before the installer runs (the installer's own check is shown above, with a lock
  // whose constraint pyproject.toml does not carry); either way nothing is installed or pushed.
  test('python = "^3.14" with .python-version 3.13 (the stack\'s) fails before installing anything', async () => {
    const dir = app("poetry-app");
    edit(join(dir, "pyproject.toml"), 'requires-python = ">=3.11"\n', "");
    appendFileSync(join(dir, "pyproject.toml"), '\n[tool.poetry.dependencies]\npython = "^3.14"\n');
    edit(
      join(dir, "poetry.lock"),
      /(\[metadata\][^[]*?)python-versions = "[^"]*"/,
      '$1python-versions = "^3.14"',
    );
    writeFileSync(join(dir, ".python-version"), "3.13\n");
    const output = await expectRefused(dir, `e2e/stale-poetry-py314-${RUN_ID}`, "poetry", [
      '[tool.poetry.dependencies] python = "^3.14"',
      "pyproject.toml",
    ]);
    expect(output).not.toContain("Exporting poetry.lock");
  });
});

describe("Pipenv", () => {
  test("a whitespace- and comment-only Pipfile change keeps the lock valid: builds and runs", async () => {
    const dir = app("pipenv-app");
    appendFileSync(join(dir, "Pipfile"), "\n\n# a comment pipenv's hash ignores\n");
    edit(join(dir, "Pipfile"), 'tabulate = ">=0.9,<0.10"', 'tabulate   =   ">=0.9,<0.10"');
    await expectBuiltAndRuns(
      dir,
      `e2e/stale-pipenv-fresh-${RUN_ID}`,
      "pipenv",
      "pipenv-app: tabulate 0.9.0 from",
    );
  });

  test("a package added to the Pipfile fails with pipenv's message and `pipenv lock`", async () => {
    const dir = app("pipenv-app");
    edit(join(dir, "Pipfile"), 'tabulate = ">=0.9,<0.10"', 'tabulate = ">=0.9,<0.10"\nsix = "*"');
    await expectRefused(dir, `e2e/stale-pipenv-${RUN_ID}`, "pipenv", [
      "! ERROR: Pipfile.lock is out of date with the Pipfile",
      "`pipenv verify` says:",
      "Run `pipenv lock`, commit Pipfile.lock, and build again.",
    ]);
  });
});

describe("conda", () => {
  const CHANNEL_DIR = join(REPO, ".infra", "conda-channel", "www", "conda-forge");

  beforeAll(() => {
    // Idempotent: builds the lab channel once (cached under .infra), starts its server unless it answers.
    execFileSync("bash", [join(REPO, "scripts", "conda-channel.sh")], { stdio: "inherit" });
  });

  /** An explicit lock of the lab channel's packages whose file names don't start with `without`. */
  function explicitLock(without: string): string {
    const lines = ["@EXPLICIT"];
    for (const subdir of ["linux-64", "noarch"]) {
      const repodata = JSON.parse(readFileSync(join(CHANNEL_DIR, subdir, "repodata.json"), "utf8")) as {
        packages: Record<string, { sha256: string }>;
      };
      for (const [file, record] of Object.entries(repodata.packages).sort())
        if (!file.startsWith(without))
          lines.push(`https://conda.anaconda.org/conda-forge/${subdir}/${file}#sha256:${record.sha256}`);
    }
    return `${lines.join("\n")}\n`;
  }

  test("an explicit lock without a package environment.yml asks for fails with the conda-lock command", async () => {
    const dir = mkdtempSync(join(tmpdir(), "e2e-stale-conda-"));
    cleanup.push(dir);
    writeFileSync(
      join(dir, "environment.yml"),
      "channels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - numpy>=2\n  - tabulate\n",
    );
    writeFileSync(join(dir, "conda-linux-64.lock"), explicitLock("tabulate-"));
    writeFileSync(join(dir, "app.py"), "import tabulate\n");
    await expectRefused(dir, `e2e/stale-conda-${RUN_ID}`, "conda", [
      "! ERROR: conda-linux-64.lock is out of date with environment.yml",
      "!   in environment.yml:6",
      "environment.yml:6  tabulate  not in conda-linux-64.lock",
      "conda-lock -f environment.yml -p linux-64 --kind explicit",
    ]);
  });
});
