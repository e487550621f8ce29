/**
 * The no-op fast path with the real lifecycle and registry: a build records its inputs on the image;
 * a build with the same inputs runs no phase and keeps (or re-tags) that image; a change of any input
 * kind runs the phases and the log names what changed.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { inputsFromLabels } from "../../src/core/fast-path/inputs.js";
import { addLabels } from "../../src/core/fast-path/registry.js";
import { parseImageRef } from "../../src/core/image-ref.js";
import { RegistryClient } from "../../src/core/registry/client.js";
import type { BuildReport } from "../../src/core/report.js";
import { cli, copyApp, docker, REGISTRY, RUN_ID, readReport } from "./helpers.js";

const BUILDER = `${REGISTRY}/ml-buildpacks/builder:cpu`;
const CUDA_BUILDER = `${REGISTRY}/ml-buildpacks/builder:cuda-amd64`;
const RUN_IMAGE = `${REGISTRY}/ml-buildpacks/run:cpu-amd64`;
const repo = `e2e/fast-path-${RUN_ID}`;
const image = `${REGISTRY}/${repo}:1`;
const registry = new RegistryClient(REGISTRY);
let app: string;
let work: string;

async function build(
  extra: string[] = [],
  target = image,
  dir = app,
  cache = "cache",
): Promise<{ report: BuildReport; output: string }> {
  const reportFile = join(work, `report-${Date.now()}.json`);
  const result = await cli([
    "build",
    dir,
    "--image",
    target,
    "--builder",
    BUILDER,
    "--cache-dir",
    join(work, cache),
    "--report",
    reportFile,
    ...extra,
  ]);
  expect(result.code, result.output).toBe(0);
  return { report: readReport(reportFile), output: result.output };
}

async function digestOf(repository: string, tag: string): Promise<string | undefined> {
  return (await registry.getManifest(repository, tag))?.digest;
}

async function labelsOf(repository: string, tag: string): Promise<Record<string, string>> {
  const manifest = await registry.getManifest(repository, tag);
  const config = await registry.getBlob(repository, manifest?.body.config?.digest ?? "");
  return (
    (JSON.parse(config?.toString("utf8") ?? "{}") as { config?: { Labels?: Record<string, string> } }).config
      ?.Labels ?? {}
  );
}

async function recordedInputs(repository: string, tag: string) {
  // In the project metadata label, which the exporter writes from what pre-export gave it.
  return inputsFromLabels(await labelsOf(repository, tag));
}

const expectMiss = (r: { report: BuildReport; output: string }, ...changed: string[]) => {
  expect(r.report.fastPath.used).toBe(false);
  expect(r.report.phases.map((p) => p.phase)).toContain("export");
  for (const name of changed) expect(r.report.fastPath.reason).toContain(name);
  expect(r.output).toContain(`changed since the previous image: ${changed.join(", ")}`);
};

const expectHit = (r: { report: BuildReport; output: string }, digest: string | undefined) => {
  expect(r.report.fastPath.used, r.report.fastPath.reason).toBe(true);
  expect(r.report.phases).toEqual([]);
  expect(r.output).toContain("Up to date (inputs unchanged, no phase ran)");
  expect(r.output).not.toContain("EXPORTING");
  expect(r.report.digest).toBe(digest);
};

const expectSwap = (r: { report: BuildReport; output: string }) => {
  expect(r.report.fastPath.used, r.report.fastPath.reason).toBe(true);
  expect(r.report.fastPath.appLayerOnly).toBe(true);
  expect(r.report.phases).toEqual([]);
  expect(r.output).toContain("only app files that no buildpack reads changed");
  expect(r.output).toContain("Built by replacing the app layer (no phase ran)");
  expect(r.output).not.toContain("EXPORTING");
};

beforeAll(() => {
  app = copyApp("hello-arch");
  work = mkdtempSync(join(tmpdir(), "e2e-fast-path-"));
});

describe("no-op fast path", () => {
  let first: { report: BuildReport; output: string };

  test("a first build runs every phase and records its inputs as a label", async () => {
    first = await build();
    expect(first.report.fastPath.used).toBe(false);
    expect(first.report.fastPath.reason).toBe(`no previous image at ${image}`);
    const recorded = await recordedInputs(repo, "1");
    expect(recorded?.digest).toBe(first.report.fastPath.inputDigest);
    expect(recorded?.parts.source).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await digestOf(repo, "1")).toBe(first.report.digest);
    const ran = await docker(["run", "--rm", "--network", "host", first.report.imageRef]);
    expect(ran.output).toMatch(/^hello from x86_64 \(linux\), python 3\.\d+\.\d+, six 1\.17\.0/);
  });

  test("the same inputs: no phase runs, the image stays, further tags (other repository too) point at it", async () => {
    const other = `${REGISTRY}/${repo}-other:x`;
    const again = await build(["--tag", `${REGISTRY}/${repo}:same`, "--tag", other]);
    expectHit(again, first.report.digest);
    expect(await digestOf(repo, "same")).toBe(first.report.digest);
    expect(await digestOf(`${repo}-other`, "x")).toBe(first.report.digest);
    const ran = await docker(["run", "--rm", "--network", "host", other]);
    expect(ran.output).toMatch(/^hello from x86_64/);
  });

  test("the top-level .git is not an input (the build never copies it)", async () => {
    mkdirSync(join(app, ".git"), { recursive: true });
    writeFileSync(join(app, ".git", "HEAD"), "ref: refs/heads/main\n");
    expectHit(await build(), first.report.digest);
  });

  test("--previous-image: a new tag whose inputs match the previous image's is re-tagged, not built", async () => {
    const commitTag = `${REGISTRY}/${repo}:commit-abc`;
    const retagged = await build(["--previous-image", image], commitTag);
    expectHit(retagged, first.report.digest);
    expect(await digestOf(repo, "commit-abc")).toBe(first.report.digest);
  });

  test("--no-fast-path runs every phase, with the same result", async () => {
    const full = await build(["--no-fast-path"]);
    expect(full.report.fastPath.used).toBe(false);
    expect(full.report.phases.map((p) => p.phase)).toContain("export");
    expect(full.report.digest).toBe(first.report.digest);
  });

  test("--trust-builder: one container for every phase (which also fills the workspace) gives the same image", async () => {
    const created = await build(["--no-fast-path", "--trust-builder"]);
    expect(created.report.phases.map((p) => p.phase)).toEqual(["create"]);
    expect(created.report.digest).toBe(first.report.digest);
  });

  test("a file no buildpack reads: only the app layer is replaced, as a full build would make it", async () => {
    const file = join(app, "app.py");
    writeFileSync(file, readFileSync(file, "utf8").replace("hello from", "hi from"));
    const swapped = await build();
    expectSwap(swapped);
    const ran = await docker(["run", "--rm", "--network", "host", swapped.report.imageRef]);
    expect(ran.output).toMatch(/^hi from x86_64/);
    expectHit(await build(), swapped.report.digest);
    // The lifecycle's own app layer for the same tree: same diffID, so the same image config.
    const full = await build(["--no-fast-path"]);
    expect(full.report.phases.map((p) => p.phase)).toContain("export");
    expect(full.report.imageId).toBe(swapped.report.imageId);
  });

  test("--previous-image in another repository: the swapped image is pushed to the new one", async () => {
    const file = join(app, "app.py");
    writeFileSync(file, readFileSync(file, "utf8").replace("hi from", "hey from"));
    const target = `${REGISTRY}/${repo}-pr:commit-def`;
    const swapped = await build(["--previous-image", image], target);
    expectSwap(swapped);
    const ran = await docker(["run", "--rm", "--network", "host", target]);
    expect(ran.output).toMatch(/^hey from x86_64/);
  });

  test("a file's executable bit: the app layer is replaced with the new mode", async () => {
    chmodSync(join(app, "app.py"), 0o755);
    const swapped = await build();
    expectSwap(swapped);
    const mode = await docker([
      "run",
      "--rm",
      "--entrypoint",
      "stat",
      swapped.report.imageRef,
      "-c",
      "%a",
      "app.py",
    ]);
    expect(mode.output).toMatch(/^755$/m);
  });

  test("a file a buildpack read (requirements.txt): every phase runs", async () => {
    const recorded = await recordedInputs(repo, "1");
    expect((recorded?.app as { files?: string[] } | undefined)?.files).toContain("requirements.txt");
    writeFileSync(
      join(app, "requirements.txt"),
      `${readFileSync(join(app, "requirements.txt"), "utf8")}# pinned\n`,
    );
    expectMiss(await build(), "source files");
  });

  test("a new file (detect may decide differently): every phase runs", async () => {
    writeFileSync(join(app, "helper.py"), "VALUE = 1\n");
    expectMiss(await build(), "source files");
  });

  test("the build env", async () => {
    expectMiss(await build(["--env", "BP_FAST_PATH_E2E=1"]), "build env");
    expectMiss(await build(["--env", "BP_FAST_PATH_E2E=2"]), "build env");
  });

  test("the build options (default process)", async () => {
    expectMiss(await build(["--env", "BP_FAST_PATH_E2E=2", "--default-process", "web"]), "build options");
  });

  test("the run image (a patched run image has another digest)", async () => {
    const patched = `${REGISTRY}/${repo}-run:patched`;
    await addLabels((r) => new RegistryClient(r), parseImageRef(RUN_IMAGE), { "e2e.patch": RUN_ID }, [
      parseImageRef(patched),
    ]);
    const args = ["--env", "BP_FAST_PATH_E2E=2", "--default-process", "web"];
    const rebased = await build([...args, "--run-image", patched]);
    expectMiss(rebased, "run image");
    expectHit(await build([...args, "--run-image", patched]), rebased.report.digest);
  });

  test("the builder (and with it the buildpacks and run image)", async () => {
    const present = await registry.getManifest("ml-buildpacks/builder", "cuda-amd64");
    expect(present, `${CUDA_BUILDER} is built by npm test (infra --flavor cuda)`).toBeDefined();
    const changed = await cli([
      "build",
      app,
      "--image",
      image,
      "--builder",
      CUDA_BUILDER,
      "--env",
      "BP_FAST_PATH_E2E=2",
      "--default-process",
      "web",
    ]);
    expect(changed.code, changed.output).toBe(0);
    expect(changed.output).toMatch(/changed since the previous image: builder image, run image/);
  });
});

test("an Aptfile: the image says when apt-get update is due, and a build after that runs every phase", async () => {
  const aptApp = copyApp("hello-arch");
  writeFileSync(join(aptApp, "Aptfile"), "jq\n");
  const target = `${REGISTRY}/${repo}-apt:1`;
  // 0 h: the lists are stale as soon as the build ends, so the next build may not reuse the image.
  const env = ["--env", "BP_DEB_PACKAGES_REFRESH_HOURS=0"];
  const first = await build(env, target, aptApp, "cache-apt");
  expect(first.output).toContain("apt-get update");
  const label = (await labelsOf(`${repo}-apt`, "1"))[
    "dev.ml-buildpacks.refresh-due.ml-buildpacks.deb-packages"
  ];
  expect(JSON.parse(label ?? "{}")).toMatchObject({
    buildpack: "ml-buildpacks/deb-packages",
    reason: expect.stringContaining("BP_DEB_PACKAGES_REFRESH_HOURS"),
  });

  const again = await build(env, target, aptApp, "cache-apt");
  expect(again.report.fastPath.used).toBe(false);
  expect(again.report.fastPath.reason).toMatch(
    /^the previous image was due for a rebuild at .*apt-get update/,
  );
  expect(again.report.phases.map((p) => p.phase)).toContain("export");
  expect(again.output).toMatch(/Updating the package lists|apt-get update/);
  const ran = await docker(["run", "--rm", "--network", "host", again.report.imageRef]);
  expect(ran.output).toMatch(/^hello from x86_64/);
});

test("a previous image in another registry is refused before any phase", async () => {
  const result = await cli([
    "build",
    app,
    "--image",
    image,
    "--builder",
    BUILDER,
    "--previous-image",
    "127.0.0.2:5000/elsewhere/app:1",
  ]);
  expect(result.code).toBe(2);
  expect(result.output).toContain(
    "the previous image 127.0.0.2:5000/elsewhere/app:1 is not in the registry of",
  );
  expect(result.output).not.toContain("ANALYZING");
});
