import { describe, expect, it } from "vitest";
import type { Layer } from "#libcnb";
import { testTarget } from "#libcnb/testing";
import { decideVenv as decide } from "#pybuild/launch-venv";
import {
  alwaysRebuild,
  type InstallSource,
  type VenvKey,
  venvDescribers,
  venvKey,
} from "../src/layers/venv.js";
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
  hashed: false,
};
const source: InstallSource = { kind: "requirements", file: "requirements.txt", req };
/** The decision pip's build hands src/pybuild's launch venv for this source. */
function decideVenv(key: VenvKey, layer: Pick<Layer, "restored">, from: InstallSource) {
  return decide(key, layer, venvDescribers(from), alwaysRebuild(from));
}

const project: InstallSource = {
  kind: "project",
  project: { file: "pyproject.toml", sha256: "5e6f7a8b".repeat(8), backend: "hatchling.build", notes: [] },
};

describe("venvKey", () => {
  it("is keyed by requirements, Python, pip, target and layer version", () => {
    expect(venvKey(source, tools, testTarget)).toEqual({
      layer_version: 3,
      source: "requirements.txt",
      source_sha256: req.sha256,
      included_sha256: "",
      python_version: "3.13.5",
      pip_version: "25.1.1",
      arch: "amd64",
      distro_name: "debian",
      distro_version: "13",
    });
    expect(venvKey(source, tools, { ...testTarget, arch: "arm", archVariant: "v7" }).arch).toBe("arm/v7");
  });
});

describe("decideVenv", () => {
  const key = venvKey(source, tools, testTarget);

  it("creates when nothing was restored", () => {
    expect(decideVenv(key, { restored: undefined }, source)).toEqual({ action: "create" });
  });

  it("reuses an unchanged venv", () => {
    expect(decideVenv(key, { restored: { ...key } }, source)).toEqual({ action: "reuse" });
  });

  it("rebuilds and names every changed key part", () => {
    const restored = {
      ...key,
      source_sha256: "1a2b3c4d".repeat(8),
      python_version: "3.12.1",
      arch: "arm64",
      distro_version: "12",
    };
    expect(decideVenv(key, { restored }, source)).toEqual({
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
    expect(decideVenv(key, { restored: { ...key, layer_version: 0 } }, source)).toEqual({
      action: "rebuild",
      reasons: ["venv layer format 0 -> 3"],
    });
  });

  it("always rebuilds when requirements install local paths", () => {
    const local: InstallSource = {
      ...source,
      req: { ...req, localPaths: [{ file: "requirements.txt", line: 2, spec: "-e ." }] },
    };
    expect(decideVenv(key, { restored: { ...key } }, local)).toEqual({
      action: "rebuild",
      reasons: [
        "requirements.txt:2 installs a local path (-e .), which can change without requirements.txt changing",
      ],
    });
  });
});

describe("a project installed with pip install .", () => {
  const key = venvKey(project, tools, testTarget);

  it("is keyed by pyproject.toml and setup files", () => {
    expect(key).toMatchObject({
      source: "pyproject.toml",
      source_sha256: "5e6f7a8b".repeat(8),
      included_sha256: "",
    });
  });

  it("never reuses the venv: the app's own package is in it", () => {
    expect(decideVenv(key, { restored: { ...key } }, project)).toEqual({
      action: "rebuild",
      reasons: [
        "pip install . builds the app's own package from its files, which can change without pyproject.toml changing",
      ],
    });
  });

  it("says when the app moved from requirements.txt to pyproject.toml", () => {
    const before = venvKey(source, tools, testTarget);
    expect(decideVenv(key, { restored: { ...before } }, project)).toEqual({
      action: "rebuild",
      reasons: [
        "installing from pyproject.toml instead of requirements.txt",
        `pyproject.toml changed (sha256 3c4d5e6f… -> 5e6f7a8b…)`,
      ],
    });
  });
});
