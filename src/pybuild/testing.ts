// Test helpers the Python buildpacks' unit tests share; only tests import this module.
import { join } from "node:path";
import type { BuildContext, BuildpackPlan, DetectContext, Exec, Logger } from "../libcnb/index.js";
import { memoryAppFiles, testBuildContext, testTarget } from "../libcnb/testing.js";

/** The plan a buildpack that requires "python" (from ml-buildpacks/python) is given. */
export const PYTHON_PLAN: BuildpackPlan["entries"] = [{ name: "python", metadata: {} }];

export type TestBuildContext = BuildContext & { logger: Logger & { text(): string } };

/**
 * `buildContext(files, exec?)` for the buildpack whose tests live in `testDir` (its buildpack.toml
 * is read from the folder above): a BuildContext over temp app and layers dirs with those app files.
 */
export function buildContextFor(
  testDir: string,
  plan: BuildpackPlan["entries"],
): (files: Record<string, string>, exec?: Exec) => TestBuildContext {
  return (files, exec) => testBuildContext({ buildpackDir: join(testDir, ".."), files, exec, plan });
}

/** A DetectContext over in-memory app files whose exec fails: detect must not run tools. */
export function detectContext(
  buildpack: { id: string; name: string },
  files: Record<string, string>,
): DetectContext {
  return {
    appDir: "/workspace",
    app: memoryAppFiles(files),
    platformDir: "/platform",
    platformEnv: {},
    buildpack: { dir: "/cnb/buildpacks/x", api: "0.10", version: "0.1.0", ...buildpack },
    target: testTarget,
    env: {},
    exec: async () => {
      throw new Error("detect must not run tools");
    },
  };
}
