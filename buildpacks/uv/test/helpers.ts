import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import {
  type BuildContext,
  type Exec,
  Layers,
  type Logger,
  nodeAppFiles,
  readBuildpackInfo,
} from "../../../src/libcnb/index.js";
import { fakeExec, memoryLogger, steppingClock, testTarget } from "../../../src/libcnb/testing.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "bp-uv-"));
  dirs.push(d);
  return d;
}

/** A BuildContext over temp app and layers dirs with the given app files. */
export function buildContext(
  files: Record<string, string>,
  exec: Exec = fakeExec(),
): BuildContext & { logger: Logger & { text(): string } } {
  const root = tempDir();
  const appDir = join(root, "app");
  const layersDir = join(root, "layers");
  mkdirSync(appDir);
  mkdirSync(layersDir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(appDir, name), content);
  const clock = steppingClock(100);
  return {
    appDir,
    app: nodeAppFiles(appDir),
    platformDir: join(root, "platform"),
    platformEnv: {},
    buildpack: readBuildpackInfo(join(import.meta.dirname, "..")),
    target: testTarget,
    env: {},
    exec,
    layersDir,
    layers: new Layers(layersDir),
    plan: { entries: [{ name: "python", metadata: {} }] },
    logger: memoryLogger(clock),
    clock,
  };
}
