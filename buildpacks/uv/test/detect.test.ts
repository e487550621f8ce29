import { describe, expect, it } from "vitest";
import type { DetectContext } from "../../../src/libcnb/index.js";
import { memoryAppFiles, testTarget } from "../../../src/libcnb/testing.js";
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
      id: "ml-buildpacks/uv",
      version: "0.1.0",
      name: "ML uv",
    },
    target: testTarget,
    env: {},
    exec: async () => {
      throw new Error("detect must not run tools");
    },
  };
}

describe("uv detect", () => {
  it.each([{ "uv.lock": "version = 1\n", "pyproject.toml": "" }, { "uv.lock": "" }])(
    "passes with uv.lock and requires python (%j)",
    (files) => {
      expect(detect(ctx(files))).toEqual({ pass: true, plan: { requires: [{ name: "python" }] } });
    },
  );

  it.each([{}, { "pyproject.toml": "" }, { "requirements.txt": "" }, { "uv.lock/x": "" }])(
    "fails with %j",
    (files) => {
      expect(detect(ctx(files))).toEqual({
        pass: false,
        reasons: ["looked for uv.lock in the app: none found"],
      });
    },
  );
});
