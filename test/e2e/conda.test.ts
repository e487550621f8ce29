import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cli, docker, REGISTRY, REPO, RUN_ID, readReport, registryHas, runAsCnbUser } from "./helpers.js";

// The conda buildpack through the real CLI, lifecycle, Docker and registry, against a local channel of
// real conda packages (conda channels are not reachable here): scripts/conda-channel.sh packs the
// CPython 3.11.2 of scripts/python-mirror.sh and PyPI's numpy and tabulate wheels as conda packages,
// indexes them and serves them on 127.0.0.1 as "conda-forge"; builds reach it through
// BP_CONDA_CHANNEL_ALIAS, so the apps' environment.yml reads exactly as in production. py-rattler
// itself comes from the real PyPI (hash-pinned).
const builder = process.env.ML_BUILDPACKS_E2E_BUILDER || `${REGISTRY}/ml-buildpacks/builder:cpu`;
const PORT = process.env.CONDA_CHANNEL_PORT || "5482";
const ALIAS = `BP_CONDA_CHANNEL_ALIAS=http://127.0.0.1:${PORT}`;
const CHANNEL_DIR = join(REPO, ".infra", "conda-channel", "www", "conda-forge");
const ENV_LAYER = "ml-buildpacks/conda:env";
const LAYER_DIR = "/layers/ml-buildpacks_conda";

let work: string;
// App copies and layer caches (a few hundred MB each): removed after the file's tests.
const cleanup: string[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "e2e-conda-"));
  cleanup.push(work);
  // Idempotent: builds the channel once (cached under .infra), starts its server unless it answers.
  execFileSync("bash", [join(REPO, "scripts", "conda-channel.sh")], { stdio: "inherit" });
});

afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

function appDir(fixture: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `e2e-conda-${fixture}-`));
  cleanup.push(dir);
  cpSync(join(REPO, "test", "fixtures", "conda", fixture), dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

async function build(
  app: string,
  repository: string,
  name: string,
  cache = join(work, "cache"),
  extra: string[] = [],
) {
  const reportFile = join(work, `${name}.json`);
  const started = Date.now();
  const result = await cli([
    "build",
    app,
    "--image",
    `${REGISTRY}/${repository}:latest`,
    "--builder",
    builder,
    "--cache-dir",
    cache,
    "--report",
    reportFile,
    "--env",
    ALIAS,
    ...extra,
  ]);
  expect(result.code, result.output).toBe(0);
  console.log(`conda e2e: ${name} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { ...result, report: readReport(reportFile) };
}

/**
 * Runs the image as the non-root CNB user (uid 1000), as a platform would: its default process, or a
 * command through the CNB launcher (which sets the layers' launch env, as for every process).
 */
async function runImage(ref: string, command: string[] = []) {
  const result = await runAsCnbUser(ref, command.length ? "/cnb/lifecycle/launcher" : undefined, command);
  expect(result.code, result.output).toBe(0);
  return result.output;
}

async function inImage(ref: string, script: string) {
  const result = await docker([
    "run",
    "--rm",
    "--network",
    "host",
    "--entrypoint",
    "bash",
    ref,
    "-c",
    script,
  ]);
  expect(result.code, result.output).toBe(0);
  return result.output;
}

describe("an environment.yml app (ml-buildpacks/conda)", () => {
  const repository = `e2e/conda-app-${RUN_ID}`;
  let dir: string;
  let first: Awaited<ReturnType<typeof build>>;

  beforeAll(() => {
    dir = appDir("app");
  });

  test("builds with the conda group, solves against the channel and runs the env's python", async () => {
    first = await build(dir, repository, "fresh");
    const ids = first.report.buildpacks.map((b) => b.id);
    expect(ids).toEqual(expect.arrayContaining(["ml-buildpacks/conda", "ml-buildpacks/processes"]));
    // The environment brings its own Python: no CPython from ml-buildpacks/python, no pip venv.
    expect(ids).not.toContain("ml-buildpacks/python");
    expect(ids).not.toContain("ml-buildpacks/pip");
    expect(first.report.layers.added).toContain(ENV_LAYER);
    expect(first.output).toContain("[Installing the conda environment from environment.yml]");
    expect(first.output).toContain(`channels http://127.0.0.1:${PORT}/conda-forge`);
    expect(first.output).toContain("Installing py-rattler 0.28.0 (hash-pinned)");
    expect(first.output).toContain("numpy 2.2.6 (py311_0, linux-64)");
    expect(first.output).toContain("tabulate 0.9.0 (pyhd8ed1ab_0, noarch)");

    const out = await runImage(first.report.imageRef);
    const prefix = `${LAYER_DIR}/env/prefix`;
    expect(out).toContain(`conda-app: python 3.11.2 from ${prefix}`);
    expect(out).toContain(`conda-app: numpy 2.2.6 from ${prefix}/lib/python3.11/site-packages/numpy`);
    expect(out).toContain(`conda-app: CONDA_PREFIX=${prefix}`);
    // The noarch package's entry point, written by the installer.
    expect(out).toContain(`conda-app: tabulate entry point ${prefix}/bin/tabulate`);
    expect(out).toMatch(/mean\s+4\.5/);
    expect(out).toMatch(/sum\s+45/);
    expect(out).toContain("conda-app: as uid 1000");
  });

  test("the image holds the environment only: no package archives, no cache or tool layer", async () => {
    const out = await inImage(
      first.report.imageRef,
      `ls ${LAYER_DIR}; echo "archives: $(find ${LAYER_DIR} -name '*.conda' -o -name '*.tar.bz2' | wc -l)"; ` +
        `ls ${LAYER_DIR}/env/prefix/conda-meta; du -sm ${LAYER_DIR}/env | cut -f1 | sed 's/^/env MiB: /'`,
    );
    expect(out).toContain("archives: 0");
    expect(out).not.toMatch(/^(conda-cache|rattler)$/m);
    expect(out).toMatch(/^env$/m);
    expect(out).toContain("numpy-2.2.6-py311_0.json");
    expect(out).toContain("python-3.11.2-0.json");
    expect(out).toContain("tabulate-0.9.0-pyhd8ed1ab_0.json");
    console.log(`conda e2e: ${out.match(/env MiB: \d+/)?.[0]}`);
  });

  test("an app change replaces only the app layer; with every phase run, the env layer is reused", async () => {
    appendFileSync(join(dir, "app.py"), 'print("conda-app: swapped")\n');
    const swapped = await build(dir, repository, "app-change");
    expect(swapped.report.fastPath.appLayerOnly, swapped.output).toBe(true);
    expect(await runImage(swapped.report.imageRef)).toContain("conda-app: swapped");
    appendFileSync(join(dir, "app.py"), 'print("conda-app: changed")\n');
    const again = await build(dir, repository, "app-change-full", undefined, ["--no-fast-path"]);
    expect(again.output).toContain(
      "Reusing the conda environment (environment.yml and the resolved packages unchanged)",
    );
    expect(again.output).toContain("Using cached py-rattler 0.28.0");
    expect(again.report.layers.reused).toContain(ENV_LAYER);
    expect(again.report.layers.added).not.toContain(ENV_LAYER);
    expect(await runImage(again.report.imageRef)).toContain("conda-app: changed");
  });

  test("an environment.yml change (pip and a pip section) rebuilds the env from scratch and says why", async () => {
    const file = join(dir, "environment.yml");
    const withPip = "  - numpy=2.2.6\n  - pip\n  - pip:\n      - six==1.17.0\n";
    writeFileSync(file, readFileSync(file, "utf8").replace("  - numpy>=2\n", withPip));
    const changed = await build(dir, repository, "env-change");
    expect(changed.output).toContain("Discarding the conda environment from the previous image:");
    expect(changed.output).toMatch(/environment\.yml changed \(sha256 [0-9a-f]{8}… -> [0-9a-f]{8}…\)/);
    expect(changed.output).toContain("resolved packages changed: + pip 25.1.1 (pyhd8ed1ab_0)");
    expect(changed.output).toContain("Using the conda package cache from the previous build");
    expect(changed.output).toMatch(/Installing 4 packages into \/layers\/ml-buildpacks_conda\/env\/prefix/);
    expect(changed.output).toContain("Installing the pip section of environment.yml (six==1.17.0)");
    expect(changed.report.layers.added).toContain(ENV_LAYER);
    const out = await runImage(changed.report.imageRef, [
      "python",
      "-c",
      "import six; print('six', six.__version__, six.__file__)",
    ]);
    expect(out).toContain(`six 1.17.0 ${LAYER_DIR}/env/prefix/lib/python3.11/site-packages/six.py`);
  });
});

/** An explicit lock of the channel's four packages (python, numpy, pip, tabulate), with production URLs (the alias redirects them). */
function explicitLock(tamper?: string): string {
  const lines = ["# generated by test/e2e/conda.test.ts from the local channel's repodata", "@EXPLICIT"];
  for (const subdir of ["linux-64", "noarch"]) {
    const repodata = JSON.parse(readFileSync(join(CHANNEL_DIR, subdir, "repodata.json"), "utf8")) as {
      packages: Record<string, { sha256: string }>;
    };
    for (const [file, record] of Object.entries(repodata.packages).sort()) {
      const sha = file.startsWith(tamper ?? "\0") ? "0".repeat(64) : record.sha256;
      lines.push(`https://conda.anaconda.org/conda-forge/${subdir}/${file}#sha256:${sha}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

test("an explicit conda-linux-64.lock installs exactly the locked files", async () => {
  const dir = appDir("app", { "conda-linux-64.lock": explicitLock() });
  const result = await build(dir, `e2e/conda-lock-${RUN_ID}`, "explicit");
  expect(result.output).toContain("[Installing the conda environment from conda-linux-64.lock]");
  expect(result.output).toContain(
    "conda-linux-64.lock: 4 packages, installed exactly as locked (no solving)",
  );
  expect(result.output).toContain("Downloading and verifying the locked packages");
  const out = await runImage(result.report.imageRef);
  expect(out).toContain("conda-app: numpy 2.2.6");
  expect(out).toMatch(/sum\s+45/);
});

describe("broken conda apps fail with the buildpack's message and push nothing", () => {
  test.each([
    {
      name: "bad-yaml",
      app: () =>
        appDir("app", {
          "environment.yml":
            "name: broken\nchannels:\n  - conda-forge\ndependencies:\n  - numpy: [2.2\n  - tabulate\n",
        }),
      messages: ["! ERROR: environment.yml is not valid YAML (line 6)", "!   in environment.yml:6"],
    },
    {
      name: "no-dependencies",
      app: () => appDir("no-dependencies"),
      messages: ["! ERROR: environment.yml has no dependencies", '"dependencies" key'],
    },
    {
      name: "unsatisfiable",
      app: () => appDir("unsatisfiable"),
      messages: [
        "! ERROR: The packages in environment.yml cannot be installed together",
        "No candidates were found for numpy >=3",
        "It was asked for: python=3.11, numpy>=3",
      ],
    },
    {
      name: "unreachable-channel",
      app: () =>
        appDir("app", {
          "environment.yml": "channels:\n  - http://127.0.0.1:9/nowhere\ndependencies:\n  - python=3.11\n",
        }),
      messages: [
        "! ERROR: A conda channel could not be reached",
        "Channels: http://127.0.0.1:9/nowhere",
        "BP_CONDA_CHANNEL_ALIAS",
      ],
    },
    {
      name: "with-requirements",
      app: () => appDir("with-requirements"),
      messages: [
        "! ERROR: This app has files for 2 package managers: environment.yml, requirements.txt",
        "  - environment.yml (conda)",
        "  - requirements.txt (pip)",
      ],
    },
    {
      name: "lock-bad-hash",
      app: () => appDir("app", { "conda-linux-64.lock": explicitLock("numpy-") }),
      messages: [
        "! ERROR: conda-linux-64.lock line 3: a downloaded package does not match its sha256",
        "!   in conda-linux-64.lock:3",
        `sha256 in conda-linux-64.lock: ${"0".repeat(64)}`,
      ],
    },
  ])("$name", async ({ name, app, messages }) => {
    const repository = `e2e/conda-${name}-${RUN_ID}`;
    const result = await cli([
      "build",
      app(),
      "--image",
      `${REGISTRY}/${repository}:1`,
      "--builder",
      builder,
      "--cache-dir",
      join(work, `${name}-cache`),
      "--env",
      ALIAS,
    ]);
    expect(result.code).not.toBe(0);
    for (const m of messages) expect(result.output).toContain(m);
    expect(result.output).toContain("a buildpack failed while building the app");
    expect(await registryHas(repository, "1")).toBe(false);
  });
});
