import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { cli, copyApp, docker, REGISTRY, REPO, RUN_ID, readReport, registryHas } from "./helpers.js";
import { layerSbomDir, sbomPackages, venvDistributions } from "./support/venv-sbom.js";

// Poetry, uv and Pipenv apps through the real CLI, lifecycle, Docker, registry and PyPI, with the
// default builder: the right group is picked from the lockfile, the image runs, a rebuild without
// change reuses the venv layer, and broken projects fail with the buildpacks' messages (no image).
const builder = process.env.ML_BUILDPACKS_E2E_BUILDER || `${REGISTRY}/ml-buildpacks/builder:cpu`;
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "e2e-package-managers-"));
});

async function build(app: string, repository: string, name: string, extra: string[] = []) {
  const reportFile = join(work, `${name}.json`);
  const result = await cli([
    "build",
    app,
    "--image",
    `${REGISTRY}/${repository}:latest`,
    "--builder",
    builder,
    "--cache-dir",
    join(work, `${repository.replaceAll("/", "_")}-cache`),
    "--report",
    reportFile,
    // These tests are about the lifecycle reusing layers; test/e2e/fast-path.test.ts covers skipping it.
    "--no-fast-path",
    ...extra,
  ]);
  expect(result.code, result.output).toBe(0);
  return { ...result, report: readReport(reportFile) };
}

async function runImage(ref: string) {
  const result = await docker(["run", "--rm", "--network", "host", ref]);
  expect(result.code, result.output).toBe(0);
  return result.output;
}

const apps = [
  { manager: "poetry", app: "poetry-app", lock: "poetry.lock" },
  { manager: "uv", app: "uv-app", lock: "uv.lock" },
  { manager: "pipenv", app: "pipenv-app", lock: "Pipfile.lock" },
] as const;

describe.each(apps)("$app (ml-buildpacks/$manager)", ({ manager, app, lock }) => {
  const repository = `e2e/${app}-${RUN_ID}`;
  const venvLayer = `ml-buildpacks/${manager}:venv`;
  let dir: string;
  let first: Awaited<ReturnType<typeof build>>;

  beforeAll(() => {
    dir = copyApp(app);
  });

  test("builds with the default builder's group for its lockfile and runs; its SBOM lists exactly the venv", async () => {
    const sbomDir = join(work, `${app}-sbom`);
    first = await build(dir, repository, `${app}-fresh`, ["--sbom-output-dir", sbomDir]);
    expect(first.report.buildpacks.map((b) => b.id)).toEqual(
      expect.arrayContaining(["ml-buildpacks/python", `ml-buildpacks/${manager}`, "ml-buildpacks/processes"]),
    );
    expect(first.report.buildpacks.map((b) => b.id)).not.toContain("ml-buildpacks/pip");
    expect(first.report.layers.added).toContain(venvLayer);
    expect(first.output).toContain(`[Installing dependencies from ${lock}]`);
    const output = await runImage(first.report.imageRef);
    expect(output).toContain(`${app}: tabulate 0.9.0 from /layers/ml-buildpacks_${manager}/venv`);
    expect(output).toMatch(/accuracy\s+0\.93/);
    // The dev group / dev-packages (six) are not installed by default.
    expect(output).toContain("dev group installed: no");
    expect(output).toMatch(/as uid 1000\b/);

    // Every distribution in the running image's venv (importlib.metadata), with its version, none extra.
    const sbom = sbomPackages(join(sbomDir, "linux-amd64", layerSbomDir(`ml-buildpacks/${manager}`, "venv")));
    expect(sbom).toContain("tabulate==0.9.0");
    expect(sbom.filter((p) => p.startsWith("six=="))).toEqual([]);
    expect(sbom).toEqual(await venvDistributions(first.report.imageRef));
  });

  test("a rebuild without change reuses the venv layer and gives the same digest", async () => {
    const again = await build(dir, repository, `${app}-no-change`);
    expect(again.output).toContain("Reusing virtual environment");
    expect(again.report.layers.reused).toContain(venvLayer);
    expect(again.report.layers.added).not.toContain(venvLayer);
    expect(again.report.digest).toBe(first.report.digest);
  });
});

test("BP_UV_GROUPS adds a dependency group; the changed key rebuilds the venv and says why", async () => {
  const repository = `e2e/uv-app-groups-${RUN_ID}`;
  const dir = copyApp("uv-app");
  await build(dir, repository, "uv-groups-default");
  const withDev = await build(dir, repository, "uv-groups-dev", ["--env", "BP_UV_GROUPS=dev"]);
  expect(withDev.output).toContain("dependency groups (none) -> dev");
  expect(withDev.report.layers.added).toContain("ml-buildpacks/uv:venv");
  expect(await runImage(withDev.report.imageRef)).toContain("dev group installed: yes");
});

function fixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `e2e-${name}-`));
  cpSync(join(REPO, "test", "fixtures", "package-managers", name), dir, { recursive: true });
  return dir;
}

describe("broken projects fail with the buildpack's message and push nothing", () => {
  test.each([
    {
      name: "two-lockfiles",
      messages: [
        "! ERROR: This app has files for 2 package managers: requirements.txt, poetry.lock",
        "  - requirements.txt (pip)",
        "  - poetry.lock (Poetry)",
        "Keep the one your project really uses",
      ],
    },
    {
      name: "unparsable-uv-lock",
      messages: ["! ERROR: uv.lock is not valid TOML", "!   in uv.lock:5", "Regenerate it with `uv lock`"],
    },
    {
      name: "pipfile-lock-outdated",
      messages: [
        "! ERROR: Pipfile.lock is out of date with the Pipfile",
        "!   in Pipfile.lock",
        "Run `pipenv lock`, commit Pipfile.lock, and build again.",
      ],
    },
    {
      name: "poetry-lock-outdated",
      messages: [
        "! ERROR: poetry.lock is out of date with pyproject.toml",
        "!   in poetry.lock",
        "Run `poetry lock`, commit poetry.lock, and build again.",
      ],
    },
  ])("$name", async ({ name, messages }) => {
    const repository = `e2e/${name}-${RUN_ID}`;
    const result = await cli([
      "build",
      fixture(name),
      "--image",
      `${REGISTRY}/${repository}:1`,
      "--builder",
      builder,
    ]);
    expect(result.code).not.toBe(0);
    for (const m of messages) expect(result.output).toContain(m);
    expect(result.output).toContain("a buildpack failed while building the app");
    expect(await registryHas(repository, "1")).toBe(false);
  });
});
