import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cli, docker, REGISTRY, RUN_ID, readReport, registryHas } from "./helpers.js";

// Issue #15 items 4, 5 and pip's part of 1, through the real CLI, lifecycle, Docker, registry and PyPI:
// an app with only pyproject.toml is installed as a package by pip (its dependency and console script
// in the image); a Django app gets collectstatic at build time (the static file is in STATIC_ROOT in
// the image, also when a rebuild reuses the venv), and fails with a hint without STATIC_ROOT; a
// requirements.txt whose --hash does not match fails naming the package.
const builder = process.env.ML_BUILDPACKS_E2E_BUILDER || `${REGISTRY}/ml-buildpacks/builder:cpu`;
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "e2e-no-lock-django-"));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function appWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(work, "app-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

async function build(app: string, name: string, repo: string) {
  const reportFile = join(work, `${name}-${Date.now()}.json`);
  const cache = join(work, `${name}-cache`);
  mkdirSync(cache, { recursive: true });
  const result = await cli([
    "build",
    app,
    "--image",
    `${REGISTRY}/${repo}:1`,
    "--builder",
    builder,
    "--cache-dir",
    cache,
    "--report",
    reportFile,
    "--no-fast-path",
  ]);
  return { ...result, report: () => readReport(reportFile) };
}

/** Runs `command` in the image through the CNB launcher, with the image's launch env (PATH included). */
function runInImage(ref: string, command: string[]) {
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

async function expectRefused(app: string, name: string, messages: string[]) {
  const repo = `e2e/${name}-${RUN_ID}`;
  const result = await build(app, name, repo);
  expect(result.code, result.output).not.toBe(0);
  for (const m of messages) expect(result.output).toContain(m);
  expect(await registryHas(repo, "1")).toBe(false);
  return result.output;
}

const HELLO_PYPROJECT = `[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "hello-table"
version = "0.1.0"
dependencies = ["tabulate==0.9.0"]

[project.scripts]
hello-table = "hello_table:main"
`;

const HELLO_MODULE = `from tabulate import tabulate


def main():
    print(tabulate([["hello", "table"]], headers=["word", "noun"]))
`;

describe("an app with only pyproject.toml", () => {
  test("pip installs it as a package: its console script and dependency are in the image", async () => {
    const app = appWith({ "pyproject.toml": HELLO_PYPROJECT, "hello_table/__init__.py": HELLO_MODULE });
    const result = await build(app, "pyproject-only", `e2e/pyproject-only-${RUN_ID}`);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(
      "No requirements.txt or lockfile: installing the app from pyproject.toml, built by hatchling.build",
    );
    expect(result.output).toContain("Running pip install .");
    const ref = result.report().imageRef;
    const script = await runInImage(ref, ["hello-table"]);
    expect(script.code, script.output).toBe(0);
    expect(script.output).toMatch(/^hello +table$/m);
    // -I keeps the app dir off sys.path: the installed copy is imported, from the venv.
    const imported = await runInImage(ref, [
      "python",
      "-I",
      "-c",
      "import tabulate, hello_table; print(tabulate.__version__, hello_table.__file__)",
    ]);
    expect(imported.code, imported.output).toBe(0);
    expect(imported.output).toMatch(
      /^0\.9\.0 \/layers\/ml-buildpacks_pip\/venv\/lib\/python3\.\d+\/site-packages\/hello_table\/__init__\.py$/m,
    );
  });

  test("a pyproject.toml with neither [build-system] nor [project] fails naming the file and what to add", async () => {
    const app = appWith({ "pyproject.toml": "[tool.black]\nline-length = 100\n", "app.py": "print(1)\n" });
    await expectRefused(app, "pyproject-invalid", [
      "pyproject.toml has neither [build-system] nor [project]: pip cannot install the app from it",
      'build-backend = "setuptools.build_meta"',
    ]);
  });
});

const MANAGE_PY = `#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
`;

function settings(staticRoot: boolean): string {
  return `from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "e2e-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.staticfiles"]
ROOT_URLCONF = "mysite.urls"
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "assets"]
${staticRoot ? 'STATIC_ROOT = BASE_DIR / "staticfiles"\n' : ""}`;
}

function djangoApp(staticRoot: boolean): string {
  return appWith({
    "requirements.txt": "django>=5.2,<6\n",
    "manage.py": MANAGE_PY,
    "mysite/__init__.py": "",
    "mysite/settings.py": settings(staticRoot),
    "mysite/urls.py": "urlpatterns = []\n",
    "assets/site.css": "body { color: rebeccapurple; }\n",
  });
}

describe("Django", () => {
  test("collectstatic runs at build time: the static file is in STATIC_ROOT in the image, also after a rebuild", async () => {
    const app = djangoApp(true);
    const repo = `e2e/django-${RUN_ID}`;
    for (const round of ["first", "rebuild"]) {
      const result = await build(app, "django", repo);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(/Django 5\.2\.\d+ in the virtual environment of ml-buildpacks\/pip/);
      expect(result.output).toContain("Running python manage.py collectstatic --noinput");
      expect(result.output).toMatch(/1 static file copied to '\/workspace\/staticfiles'/);
      // The rebuild reuses the venv (restored from the cache onto disk) and collects again.
      if (round === "rebuild")
        expect(result.output).toContain("Reusing virtual environment (requirements.txt unchanged)");
      const ref = result.report().imageRef;
      const css = await runInImage(ref, ["cat", "/workspace/staticfiles/site.css"]);
      expect(css.code, css.output).toBe(0);
      expect(css.output).toContain("body { color: rebeccapurple; }");
      const check = await runInImage(ref, ["python", "manage.py", "check"]);
      expect(check.code, check.output).toBe(0);
      expect(check.output).toContain("System check identified no issues (0 silenced).");
    }
  });

  test("without STATIC_ROOT the build fails with collectstatic's output and the hint", async () => {
    await expectRefused(djangoApp(false), "django-no-static-root", [
      "Django's collectstatic failed",
      "You're using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path",
      'STATIC_ROOT = BASE_DIR / "staticfiles"',
      "BP_DISABLE_COLLECTSTATIC=true",
    ]);
  });
});

describe("pip hash-checking mode", () => {
  test("a requirements.txt --hash that does not match fails naming requirements.txt and the package", async () => {
    const app = appWith({
      "requirements.txt": `tabulate==0.9.0 --hash=sha256:${"0".repeat(64)}\n`,
      "app.py": "import tabulate\n",
    });
    await expectRefused(app, "pip-wrong-hash", [
      "requirements.txt pins --hash values: pip checks every download against them",
      "THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE",
      "pip's hash check failed for requirements.txt: tabulate==0.9.0",
    ]);
  });
});
