import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { cli, copyApp, docker, REGISTRY, RUN_ID, readReport, registryHas } from "./helpers.js";

// One story, in order: create the builder, build the pip example fresh, rebuild without change,
// change only code, change requirements. Each step runs the pushed image and checks what it printed.
const builder = `${REGISTRY}/ml-buildpacks/builder:e2e-${RUN_ID}`;
const repository = `e2e/pip-example-${RUN_ID}`;
const image = `${REGISTRY}/${repository}:latest`;
let app: string;
let cacheDir: string;
let work: string;

/** Builds the app into `to` (default: the story's image) with the story's options plus `args`. */
async function buildApp(name: string, args: string[] = [], to = image, cache = cacheDir) {
  const reportFile = join(work, `${name}.json`);
  const result = await cli([
    "build",
    app,
    "--image",
    to,
    "--builder",
    builder,
    "--cache-dir",
    cache,
    "--report",
    reportFile,
    // These tests are about the lifecycle reusing layers; test/e2e/fast-path.test.ts covers skipping it.
    "--no-fast-path",
    // Issue #7's memory target: the OpenCV + pandas build fits in 1 GiB per container (page cache included).
    "--memory",
    "1g",
    ...args,
  ]);
  expect(result.code, result.output).toBe(0);
  return { ...result, report: readReport(reportFile) };
}

async function runImage(ref: string) {
  const result = await docker(["run", "--rm", "--network", "host", "--pull", "always", ref]);
  expect(result.code, result.output).toBe(0);
  return result.output;
}

beforeAll(() => {
  app = copyApp("pip-opencv-pandas");
  work = mkdtempSync(join(tmpdir(), "e2e-pip-work-"));
  cacheDir = join(work, "cache");
});

describe("pip example with the real lifecycle", () => {
  let first: Awaited<ReturnType<typeof buildApp>>;

  test("builder create assembles and pushes a pack-compatible builder", async () => {
    const result = await cli([
      "builder",
      "create",
      "--config",
      "stacks/cpu/builder.toml",
      "--image",
      builder,
    ]);
    expect(result.code, result.output).toBe(0);
    expect(await registryHas("ml-buildpacks/builder", `e2e-${RUN_ID}`)).toBe(true);
    const inspect = await docker(["image", "inspect", builder, "--format", "{{json .Config.Labels}}"]);
    const labels = JSON.parse(inspect.output) as Record<string, string>;
    const metadata = JSON.parse(labels["io.buildpacks.builder.metadata"] ?? "{}");
    expect(metadata.lifecycle.version).toBe("0.21.17");
    // Other groups (package managers, optional extras) come and go: check the ones this story uses.
    expect(metadata.buildpacks.map((b: { id: string }) => b.id)).toEqual(
      expect.arrayContaining([
        "ml-buildpacks/python",
        "ml-buildpacks/pip",
        "ml-buildpacks/processes",
        "ml-buildpacks/deb-packages",
        "ml-buildpacks/hardware",
        "ml-buildpacks/business-tags",
      ]),
    );
    const layers = JSON.parse(labels["io.buildpacks.buildpack.layers"] ?? "{}");
    expect(layers["ml-buildpacks/pip"]["0.1.0"].layerDiffID).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.parse(labels["io.buildpacks.buildpack.order"] ?? "[]").length).toBeGreaterThanOrEqual(2);
    const files = await docker([
      "run",
      "--rm",
      "--entrypoint",
      "ls",
      builder,
      "/cnb",
      "/cnb/lifecycle",
      "/cnb/buildpacks/ml-buildpacks_pip/0.1.0/bin",
    ]);
    expect(files.output).toMatch(/order\.toml[\s\S]*run\.toml[\s\S]*stack\.toml/);
    expect(files.output).toMatch(/analyzer[\s\S]*detector[\s\S]*exporter[\s\S]*launcher[\s\S]*restorer/);
    expect(files.output).toMatch(/build[\s\S]*detect[\s\S]*main\.mjs/);
  });

  test("a fresh build produces an image that runs the app as a non-root user", async () => {
    first = await buildApp("fresh");
    const { report } = first;
    expect(report.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(report.buildpacks.map((b) => b.id)).toEqual([
      "ml-buildpacks/python",
      "ml-buildpacks/pip",
      "ml-buildpacks/processes",
    ]);
    expect(report.layers.added).toContain("ml-buildpacks/pip:venv");
    expect(report.phases.map((p) => p.phase)).toEqual([
      "analyze",
      "detect",
      "restore",
      "build",
      "pre-export",
      "export",
    ]);
    expect(report.platform).toBe("linux/amd64");
    expect(report.imageSizeBytes).toBeGreaterThan(10_000_000);
    // --compression fast (the default): pre-export gzipped the venv, the only large new buildpack
    // layer here, with the builder's igzip and the exporter reused that blob (same diffID); docker
    // checks its content against the diffID when it pulls the image below.
    expect(first.output).toMatch(
      /Pre-exported layer 'ml-buildpacks\/pip:venv': [\d.]+ MiB -> [\d.]+ MiB \(igzip level 3, \d+ cores\)/,
    );
    expect(first.output).toContain("Reusing layer 'ml-buildpacks/pip:venv'");
    expect(first.output).not.toContain("===> Recompressing");
    // The staging manifest the exporter read is deleted afterwards: no untagged leftovers.
    const staged = /Staged 1 pre-exported layer\(s\) for the exporter in \S+@(sha256:[0-9a-f]{64})/.exec(
      first.output,
    );
    expect(staged?.[1]).toBeDefined();
    expect(await registryHas(repository, staged?.[1] ?? "")).toBe(false);
    expect(first.output).not.toContain("did not delete the staging manifest");
    for (const header of [
      "===> ANALYZING",
      "===> DETECTING",
      "===> RESTORING",
      "===> BUILDING",
      "===> PRE-EXPORTING",
      "===> EXPORTING",
    ])
      expect(first.output).toContain(header);

    const output = await runImage(report.imageRef);
    expect(output).toMatch(/opencv 5\.0\.0, pandas 3\.1\.1, numpy 2\.5\.5/);
    expect(output).toMatch(/as uid 1000\b/);
    expect(output).toMatch(/edge pixels: [1-9]\d*, busiest row: \d+/);
    expect(output).toContain("greeting: hello from ml-buildpacks");

    const inspect = await docker(["image", "inspect", report.imageRef, "--format", "{{json .Config}}"]);
    const config = JSON.parse(inspect.output) as {
      User: string;
      Labels: Record<string, string>;
      Entrypoint: string[];
    };
    expect(config.User).toBe("1000:1000");
    expect(config.Entrypoint).toEqual(["/cnb/process/web"]);
    const buildMetadata = JSON.parse(config.Labels["io.buildpacks.build.metadata"] ?? "{}");
    expect(buildMetadata.processes).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "web" })]),
    );
    expect(config.Labels["io.buildpacks.stack.id"]).toBe("dev.ml-buildpacks.stacks.trixie.cpu");
  });

  test("the venv's bytecode is valid in the image: importing pandas compiles nothing", async () => {
    // The launcher sets the venv's env; python -v says for each module whether its .pyc was used.
    const verbose = await docker([
      "run",
      "--rm",
      "--network",
      "host",
      "--entrypoint",
      "launcher",
      first.report.imageRef,
      "python",
      "-v",
      "-c",
      "import pandas",
    ]);
    expect(verbose.code, verbose.output).toBe(0);
    expect(verbose.output).not.toContain("bytecode is stale");
    expect(
      verbose.output.match(/code object from '\/layers\/ml-buildpacks_pip\/venv\/.*\.pyc'/g)?.length,
    ).toBeGreaterThan(100);
  });

  test("a rebuild with no change reuses every layer and gives the same digest", async () => {
    const again = await buildApp("no-change");
    expect(again.report.digest).toBe(first.report.digest);
    expect(again.report.layers.added).toEqual([]);
    expect(again.report.layers.reused).toEqual(expect.arrayContaining(["ml-buildpacks/pip:venv", "app"]));
  });

  test("changing only app code reuses the dependency layer", async () => {
    const source = join(app, "app.py");
    writeFileSync(source, readFileSync(source, "utf8").replace("hello from ml-buildpacks", "code changed"));
    const changed = await buildApp("code-change");
    expect(changed.report.digest).not.toBe(first.report.digest);
    expect(changed.report.layers.reused).toContain("ml-buildpacks/pip:venv");
    expect(changed.report.layers.added).toContain("app");
    expect(changed.report.layers.added).not.toContain("ml-buildpacks/pip:venv");
    expect(await runImage(changed.report.imageRef)).toContain("greeting: code changed");
  });

  test("changing requirements.txt rebuilds the virtual environment and says why", async () => {
    appendFileSync(join(app, "requirements.txt"), "six==1.17.0\n");
    const changed = await buildApp("requirements-change");
    expect(changed.report.layers.added).toContain("ml-buildpacks/pip:venv");
    expect(changed.output).toMatch(/requirements\.txt changed/);
    const output = await runImage(changed.report.imageRef);
    expect(output).toMatch(/opencv 5\.0\.0, pandas 3\.1\.1/);
    expect(await registryHas(repository, "latest")).toBe(true);
  });

  test("--trust-builder --compression small: pre-export gzips the new venv once with zlib; the exporter reuses that blob", async () => {
    const { output, report } = await buildApp(
      "trusted",
      ["--trust-builder", "--compression", "small"],
      `${REGISTRY}/${repository}-trusted:latest`,
      join(work, "trusted-cache"),
    );
    expect(output).toContain("===> PRE-EXPORTING");
    expect(output).toMatch(
      /Pre-exported layer 'ml-buildpacks\/pip:venv': [\d.]+ MiB -> [\d.]+ MiB \(gzip level 4, \d+ cores\)/,
    );
    // The exporter reuses a layer only when its own tar of it has the same diffID: byte for byte ours.
    expect(output).toContain("Reusing layer 'ml-buildpacks/pip:venv'");
    expect(output).toContain("no new buildpack layer of 8 MiB or more: nothing to recompress");
    expect(report.layers.added).toContain("ml-buildpacks/pip:venv");
    expect(report.layers.reused).not.toContain("ml-buildpacks/pip:venv");
    expect(await runImage(report.imageRef)).toMatch(/opencv 5\.0\.0, pandas 3\.1\.1/);
  });

  test("a corrupted layer in the cache dir: the build warns, rebuilds that layer, the build succeeds", async () => {
    const committed = join(cacheDir, "committed");
    const tars = readdirSync(committed).filter((f) => f.endsWith(".tar"));
    expect(tars.length).toBeGreaterThan(0);
    for (const tar of tars) {
      const bytes = readFileSync(join(committed, tar));
      bytes.fill(0x5a, 512, Math.min(bytes.length, 1024));
      writeFileSync(join(committed, tar), bytes);
    }
    appendFileSync(join(app, "requirements.txt"), "# touched after corrupting the cache\n");
    const rebuilt = await buildApp("corrupted-cache");
    // Found before the first phase (src/core/cache/verify.ts), so the restorer never meets it.
    expect(rebuilt.output).toMatch(
      /the cached layer \S*pip-cache\S* in \S+ is damaged .*: it is dropped and rebuilt/,
    );
    expect(rebuilt.report.layers.cacheAdded).toContain("ml-buildpacks/pip:pip-cache");
    expect(await runImage(rebuilt.report.imageRef)).toMatch(/opencv 5\.0\.0, pandas 3\.1\.1/);
  });

  test("a previous image in another repository: pre-export steps aside, --compression small recompresses the new layers after the export", async () => {
    appendFileSync(join(app, "requirements.txt"), "tabulate==0.9.0\n");
    const { output, report } = await buildApp(
      "other-repository",
      ["--previous-image", image, "--compression", "small"],
      `${REGISTRY}/${repository}-other:latest`,
    );
    expect(output).toMatch(/Pre-export skipped: the previous image \S+ is in another repository/);
    expect(output).toMatch(/1 layer\(s\) recompressed at gzip level 4: ([\d.]+) MiB -> ([\d.]+) MiB/);
    expect(await runImage(report.imageRef)).toMatch(/opencv 5\.0\.0, pandas 3\.1\.1/);
  });
});
