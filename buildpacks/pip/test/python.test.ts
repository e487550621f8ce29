import { describe, expect, it } from "vitest";
import { BuildpackError } from "#libcnb";
import { fakeExec } from "#libcnb/testing";
import { selectedPython, versionAtLeast } from "#pybuild/stack-python";
import { probePython } from "../src/python.js";

describe("probePython", () => {
  it("uses the system pip when it supports --python", async () => {
    const exec = fakeExec(() => ({ stdout: '{"python": "3.13.5", "pip": "25.1.1"}\n' }));
    expect(await probePython(exec)).toEqual({
      python: "/usr/bin/python3",
      version: "3.13.5",
      pipMode: "system",
      pipVersion: "25.1.1",
    });
    expect(exec.calls[0]?.args.slice(0, 2)).toEqual(["-I", "-c"]);
  });

  it.each([null, "22.2.2"])("falls back to the venv's own pip when the system pip is %s", async (pip) => {
    const exec = fakeExec(() => ({ stdout: JSON.stringify({ python: "3.13.5", pip }) }));
    expect(await probePython(exec)).toMatchObject({ pipMode: "venv", pipVersion: "ensurepip" });
  });

  it("explains a missing or broken interpreter", async () => {
    const missing = fakeExec(() => ({ code: 127, spawnError: "spawn /usr/bin/python3 ENOENT" }));
    await expect(probePython(missing)).rejects.toThrow(BuildpackError);
    const broken = fakeExec(() => ({ code: 1, stderr: "Fatal Python error" }));
    await expect(probePython(broken)).rejects.toThrow("/usr/bin/python3 did not report its version");
  });
});

describe("versionAtLeast", () => {
  it.each([
    ["22.3", true],
    ["22.3.1", true],
    ["25.1.1", true],
    ["22.2.2", false],
    ["9.0", false],
    ["23.0.1", true],
  ])("%s >= 22.3: %s", (v, ok) => {
    expect(versionAtLeast(v, [22, 3])).toBe(ok);
  });
});

describe("selectedPython", () => {
  it("uses the interpreter ml-buildpacks/python selected, else the stack's", () => {
    const installed = "/layers/ml-buildpacks_python/cpython/bin/python3";
    expect(selectedPython({ ML_BUILDPACKS_PYTHON: installed })).toBe(installed);
    expect(selectedPython({})).toBe("/usr/bin/python3");
    expect(selectedPython({ ML_BUILDPACKS_PYTHON: "" })).toBe("/usr/bin/python3");
  });

  it("is what the build probes and builds the venv from", async () => {
    const exec = fakeExec(() => ({ stdout: '{"python": "3.11.2", "pip": "22.3.1"}\n' }));
    const installed = "/layers/ml-buildpacks_python/cpython/bin/python3";
    expect(await probePython(exec, selectedPython({ ML_BUILDPACKS_PYTHON: installed }))).toMatchObject({
      python: installed,
      version: "3.11.2",
      pipMode: "system",
    });
    expect(exec.calls[0]?.command).toBe(installed);
  });
});
