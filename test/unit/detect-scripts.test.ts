/**
 * Some bin/detect scripts fail detection themselves when the buildpack's file is missing, so the
 * detector doesn't start Node.js for them. They must say what src/detect.ts says, and pass any app
 * that has the file on to it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { detect as businessTags } from "../../buildpacks/business-tags/src/detect.js";
import { detect as conda } from "../../buildpacks/conda/src/detect.js";
import { detect as django } from "../../buildpacks/django/src/detect.js";
import { detect as hardware } from "../../buildpacks/hardware/src/detect.js";
import { detect as pip } from "../../buildpacks/pip/src/detect.js";
import { detect as pipenv } from "../../buildpacks/pipenv/src/detect.js";
import { detect as poetry } from "../../buildpacks/poetry/src/detect.js";
import { detect as uv } from "../../buildpacks/uv/src/detect.js";
import type { DetectContext, DetectResult } from "../../src/libcnb/index.js";
import { memoryAppFiles, testTarget, testTempDir } from "../../src/libcnb/testing.js";

const REPO = join(import.meta.dirname, "../..");

const buildpacks: [string, (ctx: DetectContext) => DetectResult, string][] = [
  ["pip", pip, "requirements.txt"],
  ["poetry", poetry, "poetry.lock"],
  ["uv", uv, "uv.lock"],
  ["pipenv", pipenv, "Pipfile.lock"],
  ["hardware", hardware, "hardware.txt"],
  ["business-tags", businessTags, "business-tags.yaml"],
  ["conda", conda, "environment.yml"],
  ["django", django, "manage.py"],
];

function emptyAppContext(platformEnv: Record<string, string> = {}): DetectContext {
  return {
    appDir: "/workspace",
    app: memoryAppFiles({}),
    platformDir: "/platform",
    platformEnv,
    buildpack: { dir: "/cnb/buildpacks/x", api: "0.10", id: "x", version: "0.1.0", name: "x" },
    target: testTarget,
    env: {},
    exec: async () => {
      throw new Error("detect must not run tools");
    },
  };
}

/** Runs bin/detect in an app dir with a fake `node` on PATH that records it was started. */
function runScript(name: string, app: string, platformEnv: Record<string, string> = {}) {
  const platform = testTempDir("detect-platform-");
  mkdirSync(join(platform, "env"));
  for (const [k, v] of Object.entries(platformEnv)) writeFileSync(join(platform, "env", k), v);
  const fakeBin = testTempDir("detect-bin-");
  writeFileSync(join(fakeBin, "node"), '#!/bin/sh\necho "node started: $*"\nexit 0\n', { mode: 0o755 });
  const result = spawnSync("sh", [join(REPO, "buildpacks", name, "bin", "detect")], {
    cwd: app,
    encoding: "utf8",
    env: { PATH: `${fakeBin}:/usr/bin:/bin`, CNB_PLATFORM_DIR: platform, CNB_BUILD_PLAN_PATH: "/dev/null" },
  });
  return { code: result.status, stdout: result.stdout };
}

describe.each(buildpacks)("%s bin/detect", (name, tsDetect, file) => {
  test("without the file: fails with src/detect.ts's reason and never starts Node.js", () => {
    const expected = tsDetect(emptyAppContext());
    expect(expected.pass).toBe(false);
    const { code, stdout } = runScript(name, testTempDir("detect-app-"));
    expect(code).toBe(100);
    expect(stdout.trim().split("\n")).toEqual(expected.pass ? [] : expected.reasons);
  });

  test("with the file: hands over to the bundle", () => {
    const app = testTempDir("detect-app-");
    writeFileSync(join(app, file), "");
    const { code, stdout } = runScript(name, app);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^node started: .*main\.mjs detect/);
  });
});

test("business-tags hands over when the platform requires tags, as src/detect.ts passes then", () => {
  const env = { BP_REQUIRED_BUSINESS_TAGS: "team" };
  expect(businessTags(emptyAppContext(env)).pass).toBe(true);
  const { code, stdout } = runScript("business-tags", testTempDir("detect-app-"), env);
  expect(code).toBe(0);
  expect(stdout).toContain("node started");
});

test.each(["environment.yaml", "conda-linux-64.lock"])("conda bin/detect hands %s over too", (file) => {
  const app = testTempDir("detect-app-");
  writeFileSync(join(app, file), "");
  const { code, stdout } = runScript("conda", app);
  expect(code).toBe(0);
  expect(stdout).toMatch(/^node started: .*main\.mjs detect/);
});

test("every script is POSIX sh (dash parses it)", () => {
  for (const [name] of buildpacks)
    execFileSync("sh", ["-n", join(REPO, "buildpacks", name, "bin", "detect")]);
});
