import { describe, expect, it } from "vitest";
import { testTarget } from "../../../src/libcnb/testing.js";
import { decideVenv, venvKey } from "../src/layers/venv.js";
import type { PythonTools } from "../src/python.js";
import type { RequirementsFingerprint } from "../src/requirements.js";

const tools: PythonTools = {
  python: "/usr/bin/python3",
  version: "3.13.5",
  pipMode: "system",
  pipVersion: "25.1.1",
};
const req: RequirementsFingerprint = {
  sha256: "3c4d5e6f".repeat(8),
  includedSha256: "",
  included: [],
  localPaths: [],
};

describe("venvKey", () => {
  it("is keyed by requirements, Python, pip, target and layer version", () => {
    expect(venvKey(req, tools, testTarget)).toEqual({
      layer_version: 2,
      requirements_sha256: req.sha256,
      included_sha256: "",
      python_version: "3.13.5",
      pip_version: "25.1.1",
      arch: "amd64",
      distro_name: "debian",
      distro_version: "13",
    });
    expect(venvKey(req, tools, { ...testTarget, arch: "arm", archVariant: "v7" }).arch).toBe("arm/v7");
  });
});

describe("decideVenv", () => {
  const key = venvKey(req, tools, testTarget);

  it("creates when nothing was restored", () => {
    expect(decideVenv(key, { restored: undefined }, req)).toEqual({ action: "create" });
  });

  it("reuses an unchanged venv", () => {
    expect(decideVenv(key, { restored: { ...key } }, req)).toEqual({ action: "reuse" });
  });

  it("rebuilds and names every changed key part", () => {
    const restored = {
      ...key,
      requirements_sha256: "1a2b3c4d".repeat(8),
      python_version: "3.12.1",
      arch: "arm64",
      distro_version: "12",
    };
    expect(decideVenv(key, { restored }, req)).toEqual({
      action: "rebuild",
      reasons: [
        "requirements.txt changed (sha256 1a2b3c4d… -> 3c4d5e6f…)",
        "Python 3.12.1 -> 3.13.5",
        "architecture arm64 -> amd64",
        "distribution version 12 -> 13",
      ],
    });
  });

  it("rebuilds when a layer of an older format was restored", () => {
    expect(decideVenv(key, { restored: { ...key, layer_version: 0 } }, req)).toEqual({
      action: "rebuild",
      reasons: ["venv layer format 0 -> 2"],
    });
  });

  it("always rebuilds when requirements install local paths", () => {
    const local = { ...req, localPaths: [{ file: "requirements.txt", line: 2, spec: "-e ." }] };
    expect(decideVenv(key, { restored: { ...key } }, local)).toEqual({
      action: "rebuild",
      reasons: [
        "requirements.txt:2 installs a local path (-e .), which can change without requirements.txt changing",
      ],
    });
  });
});
