import { join } from "node:path";
import { expect, test } from "vitest";
import { readBuilderConfig } from "../../../src/core/builder/config.js";

const REPO = join(import.meta.dirname, "../../..");

test("the cuda builder has the cpu builder's buildpacks and order, on the cuda stack", () => {
  const names = { namespace: "ghcr.io/ml-buildpacks/ml-buildpacks", version: "1.2.3", arch: "arm64" };
  const cpu = readBuilderConfig(join(REPO, "stacks/cpu/builder.toml"), names);
  const cuda = readBuilderConfig(join(REPO, "stacks/cuda/builder.toml"), names);
  expect(cuda.buildpackDirs).toEqual(cpu.buildpackDirs);
  expect(cuda.order).toEqual(cpu.order);
  expect(cuda.stackId).toBe("dev.ml-buildpacks.stacks.trixie.cuda");
  expect(cuda.buildImage).toBe("ghcr.io/ml-buildpacks/ml-buildpacks/build:cuda-1.2.3-arm64");
  expect(cuda.runImages.map((r) => r.image)).toEqual(["ghcr.io/ml-buildpacks/ml-buildpacks/run:cuda-1.2"]);
  expect(cpu.runImages.map((r) => r.image)).toEqual(["ghcr.io/ml-buildpacks/ml-buildpacks/run:cpu-1.2"]);
});

test("a builder.toml template read without names is refused, naming the placeholder and the fix", () => {
  expect(() => readBuilderConfig(join(REPO, "stacks/cpu/builder.toml"))).toThrow(
    /unfilled placeholder \$\{namespace\}/,
  );
});
