import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import type { BuildReport } from "../../src/core/report.js";
import { cli, docker, REGISTRY, REPO, RUN_ID, readReport } from "./helpers.js";

// Per-arch builds (arm64 under qemu here) merged into one manifest list, and the cuda flavor.
// Needs `bash scripts/infra.sh --arch all` and `--flavor cuda` (npm test runs both).
const repository = `e2e/multi-${RUN_ID}`;
let work: string;

async function buildFor(app: string, platform: string, tag: string, builder: string): Promise<BuildReport> {
  const report = join(work, `${tag}.json`);
  const result = await cli([
    "build",
    join(REPO, "examples", app),
    "--image",
    `${REGISTRY}/${repository}:${tag}`,
    "--builder",
    builder,
    "--platform",
    platform,
    "--report",
    report,
  ]);
  expect(result.code, result.output).toBe(0);
  return readReport(report);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "e2e-multi-"));
});

describe("multi-arch and cuda", () => {
  const builder = `${REGISTRY}/ml-buildpacks/builder:cpu`;
  const reports: Record<string, BuildReport> = {};

  test("the cpu builder is a manifest list of amd64 and arm64 builders", async () => {
    const res = await fetch(`http://${REGISTRY}/v2/ml-buildpacks/builder/manifests/cpu`, {
      headers: { Accept: "application/vnd.oci.image.index.v1+json" },
    });
    const index = (await res.json()) as { manifests: { platform: { architecture: string } }[] };
    expect(index.manifests.map((m) => m.platform.architecture).sort()).toEqual(["amd64", "arm64"]);
  });

  test("amd64 build", async () => {
    reports.amd64 = await buildFor("hello-arch", "linux/amd64", "amd64", builder);
    expect(reports.amd64.platform).toBe("linux/amd64");
  });

  test("arm64 build runs the arm64 lifecycle (qemu) and the image says aarch64", async () => {
    reports.arm64 = await buildFor("hello-arch", "linux/arm64", "arm64", builder);
    expect(reports.arm64.platform).toBe("linux/arm64");
    const run = await docker([
      "run",
      "--rm",
      "--network",
      "host",
      "--platform",
      "linux/arm64",
      reports.arm64.imageRef,
    ]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/hello from aarch64 \(linux\), python 3\.13\.\d+, six 1\.17\.0/);
  });

  test("manifest create merges both into one index with exactly those platforms and digests", async () => {
    const amd64 = reports.amd64;
    const arm64 = reports.arm64;
    if (!amd64 || !arm64) throw new Error("the per-arch builds did not run");
    const result = await cli([
      "manifest",
      "create",
      "--image",
      `${REGISTRY}/${repository}:1.0`,
      "--from",
      `linux/amd64=${REGISTRY}/${repository}@${amd64.digest}`,
      "--from",
      `linux/arm64=${REGISTRY}/${repository}@${arm64.digest}`,
    ]);
    expect(result.code, result.output).toBe(0);
    const res = await fetch(`http://${REGISTRY}/v2/${repository}/manifests/1.0`, {
      headers: { Accept: "application/vnd.oci.image.index.v1+json" },
    });
    const index = (await res.json()) as {
      manifests: { digest: string; platform: { os: string; architecture: string } }[];
    };
    expect(index.manifests.map((m) => [`${m.platform.os}/${m.platform.architecture}`, m.digest])).toEqual([
      ["linux/amd64", amd64.digest],
      ["linux/arm64", arm64.digest],
    ]);
    expect(result.output.trim().split("\n").at(-1)).toBe(res.headers.get("docker-content-digest"));
    // Docker resolves the index to the host's platform.
    const run = await docker(["run", "--rm", "--network", "host", `${REGISTRY}/${repository}:1.0`]);
    expect(run.output).toMatch(/hello from x86_64/);
  });

  test("the cuda image loads libcudart and reports the CUDA runtime version", async () => {
    const report = await buildFor(
      "cuda-check",
      "linux/amd64",
      "cuda",
      `${REGISTRY}/ml-buildpacks/builder:cuda`,
    );
    const run = await docker(["run", "--rm", "--network", "host", report.imageRef]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("libcudart loaded: status 0, CUDA runtime 12.4");
    expect(run.output).toContain("NVIDIA_VISIBLE_DEVICES=all");
    // hardware.txt says cuda: the hardware buildpack ran and labelled the image.
    expect(report.buildpacks.map((b) => b.id)).toContain("ml-buildpacks/hardware");
    const label = await docker([
      "image",
      "inspect",
      report.imageRef,
      "--format",
      '{{ index .Config.Labels "dev.ml-buildpacks.hardware" }}',
    ]);
    expect(label.output).toBe("cuda");
    const size = await docker(["image", "inspect", report.imageRef, "--format", "{{.Size}}"]);
    process.stdout.write(`    cuda run image + app: ${(Number(size.output) / 1e6).toFixed(0)} MB\n`);
  });
});
