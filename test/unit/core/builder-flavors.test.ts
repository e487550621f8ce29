import { join } from "node:path";
import { expect, test } from "vitest";
import { readBuilderConfig } from "../../../src/core/builder/config.js";

const REPO = join(import.meta.dirname, "../../..");

test("the cuda builder has the cpu builder's buildpacks and order, on the cuda stack", () => {
  const cpu = readBuilderConfig(join(REPO, "stacks/cpu/builder.toml"));
  const cuda = readBuilderConfig(join(REPO, "stacks/cuda/builder.toml"));
  expect(cuda.buildpackDirs).toEqual(cpu.buildpackDirs);
  expect(cuda.order).toEqual(cpu.order);
  expect(cuda.stackId).toBe("dev.ml-buildpacks.stacks.trixie.cuda");
  expect(cuda.buildImage).toBe("127.0.0.1:5000/ml-buildpacks/build:cuda");
  expect(cuda.runImages.map((r) => r.image)).toEqual(["127.0.0.1:5000/ml-buildpacks/run:cuda"]);
});
