import { describe, expect, it } from "vitest";
import { Layers } from "#libcnb";
import { testTarget } from "#libcnb/testing";
import { decideVenv } from "#pybuild/launch-venv";
import type { PythonTools } from "#pybuild/stack-python";
import { exportArgs, pipInstallArgs, VENV_DESCRIBERS, venvKey } from "../src/layers/venv.js";
import type { PoetryProject } from "../src/project.js";

const project: PoetryProject = {
  lockSha256: "3c4d5e6f".repeat(8),
  manifestSha256: "9a8b7c6d".repeat(8),
  lockVersion: "2.1",
  packages: 2,
};
const tools: PythonTools = {
  python: "/usr/bin/python3",
  version: "3.13.5",
  appPython: "/layers/ml-buildpacks_python/cpython/bin/python3",
  appVersion: "3.12.11",
  pipVersion: "25.1.1",
};

describe("venvKey and decideVenv", () => {
  const key = venvKey(project, ["main"], tools, "2.5.1", testTarget);

  it("is keyed by poetry.lock, pyproject.toml, groups, Python, pip, Poetry and target", () => {
    expect(key).toEqual({
      layer_version: 2,
      lock_sha256: project.lockSha256,
      pyproject_sha256: project.manifestSha256,
      groups: "main",
      python_version: "3.12.11",
      pip_version: "25.1.1",
      poetry_version: "2.5.1",
      arch: "amd64",
      distro_name: "debian",
      distro_version: "13",
    });
  });

  it("reuses an unchanged venv and names every change otherwise", () => {
    expect(decideVenv(key, { restored: undefined }, VENV_DESCRIBERS)).toEqual({ action: "create" });
    expect(decideVenv(key, { restored: { ...key } }, VENV_DESCRIBERS)).toEqual({ action: "reuse" });
    const restored = {
      ...key,
      pyproject_sha256: "1a2b3c4d".repeat(8),
      groups: "dev,main",
      distro_version: "12",
    };
    expect(decideVenv(key, { restored }, VENV_DESCRIBERS)).toEqual({
      action: "rebuild",
      reasons: [
        "pyproject.toml changed (sha256 1a2b3c4d… -> 9a8b7c6d…)",
        "groups dev,main -> main",
        "distribution version 12 -> 13",
      ],
    });
  });
});

describe("commands", () => {
  it("exports only the chosen groups, with hashes", () => {
    expect(exportArgs(["dev", "main"], "/tmp/x/requirements.txt")).toEqual([
      "export",
      "--format",
      "requirements.txt",
      "--only",
      "dev,main",
      "--output",
      "/tmp/x/requirements.txt",
      "--with-credentials",
      "--no-ansi",
    ]);
  });

  it("installs the export with the stack's pip into the venv, hashes required, nothing resolved", () => {
    const venv = new Layers("/layers/ml-buildpacks_poetry").get("venv");
    const args = pipInstallArgs(venv, "/tmp/x/requirements.txt", "/layers/ml-buildpacks_poetry/pip-cache");
    expect(args.slice(0, 9)).toEqual([
      "-m",
      "pip",
      "--python",
      "/layers/ml-buildpacks_poetry/venv/bin/python",
      "install",
      "--require-hashes",
      "--no-deps",
      "--requirement",
      "/tmp/x/requirements.txt",
    ]);
    expect(args).toEqual(expect.arrayContaining(["--cache-dir", "/layers/ml-buildpacks_poetry/pip-cache"]));
  });
});
