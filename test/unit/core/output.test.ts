import { expect, test } from "vitest";
import { emptyActivity, recordExporterLine } from "../../../src/core/lifecycle/output.js";
import { renderSummary } from "../../../src/core/report.js";

test("exporter log lines become layer activity", () => {
  const activity = emptyActivity();
  for (const line of [
    "Reusing layer 'ml-buildpacks/pip:venv'",
    "Adding layer 'buildpacksio/lifecycle:launcher'",
    "Reused 1/1 app layer(s)",
    "Adding cache layer 'ml-buildpacks/pip:pip-cache'",
    "Reusing cache layer 'ml-buildpacks/python:x'",
    "Saving 127.0.0.1:5000/a...",
  ])
    recordExporterLine(activity, line);
  expect(activity).toEqual({
    reused: ["ml-buildpacks/pip:venv", "app"],
    added: ["buildpacksio/lifecycle:launcher"],
    cacheAdded: ["ml-buildpacks/pip:pip-cache"],
    cacheReused: ["ml-buildpacks/python:x"],
  });
});

test("summary lists layers, size and phase timings", () => {
  const text = renderSummary({
    image: "r/a:1",
    digest: "sha256:abc",
    imageRef: "r/a@sha256:abc",
    tags: ["r/a:1"],
    platform: "linux/amd64",
    builder: { ref: "b", digest: undefined, lifecycleVersion: "0.21.17", platformApi: "0.14" },
    buildpacks: [{ id: "x/py", version: "0.1.0" }],
    layers: { reused: ["a"], added: ["b", "c"], cacheAdded: [], cacheReused: ["d"] },
    phases: [{ phase: "build", ms: 1500 }],
    totalMs: 2500,
    imageSizeBytes: 3 * 1024 * 1024,
    cache: { dir: undefined, cleared: false },
  });
  expect(text).toContain("1 reused, 2 added (b, c)");
  expect(text).toContain("3.0 MiB");
  expect(text).toContain("build 1.5 s");
  expect(text).toContain("x/py@0.1.0");
});
