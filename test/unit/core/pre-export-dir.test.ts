import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test } from "vitest";
import { preExportDir } from "../../../src/core/executor/docker.js";

test("pre-export is found beside the bundle (dist/) or inside it (a builder's /cnb/ml-buildpacks)", () => {
  const root = mkdtempSync(join(tmpdir(), "pre-export-dir-"));
  const dist = join(root, "dist");
  mkdirSync(join(dist, "cli"), { recursive: true });
  const cli = pathToFileURL(join(dist, "cli", "index.js")).href;
  expect(preExportDir(cli)).toBe(join(dist, "pre-export"));

  const builderCli = join(root, "cnb", "ml-buildpacks");
  mkdirSync(join(builderCli, "pre-export"), { recursive: true });
  writeFileSync(join(builderCli, "pre-export", "index.mjs"), "");
  expect(preExportDir(pathToFileURL(join(builderCli, "index.js")).href)).toBe(join(builderCli, "pre-export"));
});
