import { expect, test } from "vitest";
import type { BuildReport } from "../../../src/core/report.js";
import { renderJobSummary } from "../../../src/github/summary.js";

const report: BuildReport = {
  image: "r/a:1",
  digest: "sha256:abc",
  imageId: "sha256:def",
  imageRef: "r/a@sha256:abc",
  tags: ["r/a:1", "r/a:latest"],
  published: true,
  platform: "linux/amd64",
  builder: { ref: "r/builder:cpu", digest: undefined, lifecycleVersion: "0.21.17", platformApi: "0.14" },
  buildpacks: [{ id: "ml-buildpacks/pip", version: "0.1.0" }],
  layers: { reused: ["ml-buildpacks/pip:venv"], added: ["app"], cacheAdded: [], cacheReused: [] },
  phases: [
    { phase: "analyze", ms: 300 },
    { phase: "build", ms: 12_500 },
  ],
  totalMs: 20_000,
  imageSizeBytes: 160 * 1024 * 1024,
  cache: { dir: "/c", cleared: false },
  fastPath: { used: false, inputDigest: "sha256:1", reason: "no previous image" },
};

test("job summary shows image, platform, buildpacks, layers, cache, size and phase timings", () => {
  const md = renderJobSummary(report, {
    enabled: true,
    scope: "cpu-amd64",
    result: "exact",
    restoredBytes: 2 * 1024 * 1024,
    restoreMs: 1200,
  });
  expect(md).toContain("| Image | `r/a@sha256:abc` |");
  expect(md).toContain("| Platform | linux/amd64 |");
  expect(md).toContain("`ml-buildpacks/pip@0.1.0`");
  expect(md).toContain("| Layers | 1 reused, 1 added |");
  expect(md).toContain("| Layer cache | hit (scope `cpu-amd64`, 2.0 MiB in 1.2 s) |");
  expect(md).toContain("| Image size | 160.0 MiB |");
  expect(md).toContain("| build | 12.5 s |");
});

test("a miss and a disabled cache read as such", () => {
  const miss = renderJobSummary(report, {
    enabled: true,
    scope: "s",
    result: "miss",
    restoredBytes: 0,
    restoreMs: 5,
  });
  expect(miss).toContain("| Layer cache | miss (scope `s`");
  const off = renderJobSummary(report, {
    enabled: false,
    scope: "",
    result: "disabled",
    restoredBytes: 0,
    restoreMs: 0,
  });
  expect(off).toContain("| Layer cache | disabled |");
});
