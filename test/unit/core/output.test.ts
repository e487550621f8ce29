import { expect, test } from "vitest";
import {
  detectFailureLines,
  detectFailureReasons,
  emptyActivity,
  groupFromCreatorOutput,
  recordExporterLine,
} from "../../../src/core/lifecycle/output.js";
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
    imageId: "sha256:def",
    imageRef: "r/a@sha256:abc",
    tags: ["r/a:1"],
    published: true,
    platform: "linux/amd64",
    builder: { ref: "b", digest: undefined, lifecycleVersion: "0.21.17", platformApi: "0.14" },
    buildpacks: [{ id: "x/py", version: "0.1.0" }],
    layers: { reused: ["a"], added: ["b", "c"], cacheAdded: [], cacheReused: ["d"] },
    phases: [{ phase: "build", ms: 1500 }],
    totalMs: 2500,
    imageSizeBytes: 3 * 1024 * 1024,
    cache: { dir: undefined, cleared: false },
    fastPath: { used: false, inputDigest: "sha256:1", reason: "no previous image" },
  });
  expect(text).toContain("1 reused, 2 added (b, c)");
  expect(text).toContain("3.0 MiB");
  expect(text).toContain("build 1.5 s");
  expect(text).toContain("x/py@0.1.0");
});

test("a failed detection keeps what each buildpack looked for, once", () => {
  const lines = [
    "Starting detector...",
    "Timer: Detector started at x",
    "Checking for match against descriptor: {linux amd64  []}",
    "======== Output: a/python@0.1.0 ========",
    "looked for requirements.txt: none found",
    "======== Output: a/pip@0.1.0 ========",
    "looked for requirements.txt in the app",
    "======== Results ========",
    "fail: a/python@0.1.0",
    "======== Output: a/python@0.1.0 ========",
    "looked for requirements.txt: none found",
    "======== Results ========",
    "ERROR: No buildpack groups passed detection.",
  ];
  expect(detectFailureReasons(lines)).toEqual([
    "a/python@0.1.0: looked for requirements.txt: none found",
    "a/pip@0.1.0: looked for requirements.txt in the app",
  ]);
  expect(detectFailureLines(lines)).not.toContain("Starting detector...");
  expect(detectFailureLines(lines)).toContain("ERROR: No buildpack groups passed detection.");
});

test("the creator's detect output gives the buildpack group", () => {
  expect(
    groupFromCreatorOutput([
      "===> DETECTING",
      "3 of 3 buildpacks participating",
      "ml-buildpacks/python 0.1.0",
      // the lifecycle pads ids to one column
      "ml-buildpacks/pip    0.1.0",
      "ml-buildpacks/processes 0.1.0",
      "===> RESTORING",
    ]),
  ).toEqual([
    { id: "ml-buildpacks/python", version: "0.1.0" },
    { id: "ml-buildpacks/pip", version: "0.1.0" },
    { id: "ml-buildpacks/processes", version: "0.1.0" },
  ]);
});
