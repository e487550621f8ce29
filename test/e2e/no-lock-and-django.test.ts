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

async function build(app: string, name: string, repo: string, env: string[] = []) {
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
    ...env.flatMap((e) => ["--env", e]),
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

// A uv project (made with uv 0.13.9, the uv buildpack's: `uv lock`), to show collectstatic with another
// installer's venv.
const UV_PYPROJECT = `[project]
name = "django-uv"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["django>=5.2,<5.3"]
`;

const UV_LOCK = `version = 1
revision = 5
requires-python = ">=3.11"

[[package]]
name = "asgiref"
version = "3.13.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/6b/90/f5fce14e95fccf53b58e8e2c47cd84d40d105d64073ae1ac75166db150e0/asgiref-3.13.0.tar.gz", hash = "sha256:034cc8cbf72d00553b4be256703ac545120b4e50af13b49dec99da899aeeecb4", size = 52941, upload-time = "2026-10-23T08:13:14.715Z" }
wheels = [
    { url = "https://files.pythonhosted.org/packages/2e/b0/ec211e1f7966247cb6469158d856bac9aa4c2fe13621bd6a352e4f850453/asgiref-3.13.0-py3-none-any.whl", hash = "sha256:f9596a2434512686473d50f96ff6207fbba49ae1a785dfac614df4aeb085674d", size = 27593, upload-time = "2026-10-23T08:13:13.394Z" },
]

[[package]]
name = "django"
version = "5.2.19"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "asgiref" },
    { name = "sqlparse" },
    { name = "tzdata", marker = "sys_platform == 'win32'" },
]
sdist = { url = "https://files.pythonhosted.org/packages/02/29/a487a108caa76430c8b616aa90a6d09cf431306112c14093e6f0a7454e17/django-5.2.19.tar.gz", hash = "sha256:ad03d8abc51dbff95ebf34b27123cf0c26a3b62db7ba0cd520783686362533d1", size = 10969285, upload-time = "2026-11-03T15:22:09Z" }
wheels = [
    { url = "https://files.pythonhosted.org/packages/3c/fb/65b4e897d1268288a46457493d9aec6541be8be08e0093a93cc101c03ab2/django-5.2.19-py3-none-any.whl", hash = "sha256:5965d974a5218a2b68a11dd1276434707f23886525c23f0598eccedaf4f4ca00", size = 8319631, upload-time = "2026-11-03T15:22:03Z" },
]

[[package]]
name = "django-uv"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "django" },
]

[package.metadata]
requires-dist = [{ name = "django", specifier = ">=5.2,<5.3" }]

[[package]]
name = "sqlparse"
version = "0.6.1"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/7e/e0/361c764ea58cc1a75f7b4b424a74b08449db8bfa5e9199c7275999fdd1b9/sqlparse-0.6.1.tar.gz", hash = "sha256:ca722573f848ff2d30e40ea30f53a104b7dea7635ea9285891263eb2c58fb6e7", size = 182236, upload-time = "2026-11-01T18:06:45Z" }
wheels = [
    { url = "https://files.pythonhosted.org/packages/df/ff/2fee788e82e75be8f210c65c5d103bf44c880e3769c884652a4cd911b8ba/sqlparse-0.6.1-py3-none-any.whl", hash = "sha256:3be5a72d04c873d690d7c6dedd33d6fae2ef82759881ceec02fc2efd0cba564f", size = 51200, upload-time = "2026-11-01T18:06:47Z" },
]

[[package]]
name = "tzdata"
version = "2026.6"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/7a/29/6a1391d31cd00ff9e927215a224a880e1e84e826b64ba80a499e51c074d8/tzdata-2026.6.tar.gz", hash = "sha256:85d2cd9c09f81f0bb29db27759fc83af4f1e620efb814f8c5bf8b4cc4feece6d", size = 201017, upload-time = "2026-10-28T09:57:09Z" }
wheels = [
    { url = "https://files.pythonhosted.org/packages/0a/66/9a06c2227fedfd4919f0eaaa8b94377d9730882a7e4f95823c9a331ab5e1/tzdata-2026.6-py2.py3-none-any.whl", hash = "sha256:0a10eec6e13ef16b627fabed9a5f2ba61a62b1c67f327305f4e7e412a70b4aec", size = 348210, upload-time = "2026-10-28T09:57:07Z" },
]
`;

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

  test("with uv's venv too: collected at the first build and at a rebuild that reuses the venv", async () => {
    const app = djangoApp(true);
    rmSync(join(app, "requirements.txt"));
    writeFileSync(join(app, "pyproject.toml"), UV_PYPROJECT);
    writeFileSync(join(app, "uv.lock"), UV_LOCK);
    const repo = `e2e/django-uv-${RUN_ID}`;
    for (const round of ["first", "rebuild"]) {
      const result = await build(app, "django-uv", repo);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(/Django 5\.2\.\d+ in the virtual environment of ml-buildpacks\/uv/);
      expect(result.output).toMatch(/1 static file copied to '\/workspace\/staticfiles'/);
      if (round === "rebuild") expect(result.output).toContain("Reusing virtual environment");
      const css = await runInImage(result.report().imageRef, ["cat", "/workspace/staticfiles/site.css"]);
      expect(css.code, css.output).toBe(0);
      expect(css.output).toContain("body { color: rebeccapurple; }");
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

  test("BP_DISABLE_COLLECTSTATIC=true skips collectstatic: the same app without STATIC_ROOT builds and runs", async () => {
    const result = await build(djangoApp(false), "django-disabled", `e2e/django-disabled-${RUN_ID}`, [
      "BP_DISABLE_COLLECTSTATIC=true",
    ]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("Skipping collectstatic: BP_DISABLE_COLLECTSTATIC=true");
    expect(result.output).not.toContain("Running python manage.py collectstatic");
    const check = await runInImage(result.report().imageRef, ["python", "manage.py", "check"]);
    expect(check.output).toContain("System check identified no issues (0 silenced).");
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
