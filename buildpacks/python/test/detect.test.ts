import { describe, expect, it } from "vitest";
import type { DetectContext } from "#libcnb";
import { memoryAppFiles, testTarget } from "#libcnb/testing";
import { detect } from "../src/detect.js";

function ctx(files: Record<string, string>): DetectContext {
  return {
    appDir: "/workspace",
    app: memoryAppFiles(files),
    platformDir: "/platform",
    platformEnv: {},
    buildpack: {
      dir: "/cnb/buildpacks/x",
      api: "0.10",
      id: "ml-buildpacks/python",
      version: "0.1.0",
      name: "ML Python",
    },
    target: testTarget,
    env: {},
    exec: async () => {
      throw new Error("detect must not run tools");
    },
  };
}

describe("python detect", () => {
  it.each([
    "requirements.txt",
    "pyproject.toml",
    "Pipfile",
    "environment.yml",
    ".python-version",
    "setup.py",
    "app.py",
    "train.py",
  ])("passes with %s, providing and requiring python", (file) => {
    expect(detect(ctx({ [file]: "" }))).toEqual({
      pass: true,
      plan: { provides: [{ name: "python" }], requires: [{ name: "python" }] },
    });
  });

  it("fails without Python files, saying what it looked for", () => {
    expect(detect(ctx({ "package.json": "{}", "src/app.py": "", "README.md": "" }))).toEqual({
      pass: false,
      reasons: [
        "looked for requirements.txt, pyproject.toml, Pipfile, environment.yml, .python-version, setup.py or a *.py file in the app: none found",
      ],
    });
  });

  it("ignores a directory named like a marker", () => {
    expect(detect(ctx({ "requirements.txt/x": "", "lib.py/y": "" })).pass).toBe(false);
  });
});
