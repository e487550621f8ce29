import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import {
  parseBuilderConfig,
  readBuildpackDescriptor,
  resolveOrder,
} from "../../../src/core/builder/config.js";
import { MlBuildpacksError } from "../../../src/core/errors.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "builder-config-"));
  for (const name of ["python", "pip"]) {
    mkdirSync(join(dir, name));
    writeFileSync(
      join(dir, name, "buildpack.toml"),
      `api = "0.10"\n[buildpack]\nid = "t/${name}"\nversion = "1.2.3"\n[[targets]]\nos = "linux"\narch = "amd64"\n`,
    );
  }
});

const valid = `
[stack]
id = "s"
build-image = "reg/build:1"
run-image = "reg/run:1"

[[buildpacks]]
uri = "python"

[[buildpacks]]
uri = "pip"

[[order]]
  [[order.group]]
  id = "t/python"
  [[order.group]]
  id = "t/pip"
  optional = true
`;

function errorOf(fn: () => unknown): MlBuildpacksError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MlBuildpacksError) return err;
    throw err;
  }
  throw new Error("expected an error");
}

describe("parseBuilderConfig", () => {
  test("reads pack's [stack] form", () => {
    const config = parseBuilderConfig(valid, join(dir, "builder.toml"));
    expect(config.buildImage).toBe("reg/build:1");
    expect(config.runImages).toEqual([{ image: "reg/run:1", mirrors: [] }]);
    expect(config.buildpackDirs).toEqual([join(dir, "python"), join(dir, "pip")]);
    expect(config.order).toEqual([{ group: [{ id: "t/python" }, { id: "t/pip", optional: true }] }]);
  });

  test("reads pack's newer [build] / [[run.images]] form", () => {
    const text = valid.replace(
      /\[stack\][^[]*/,
      '[build]\nimage = "reg/b:2"\n\n[[run.images]]\nimage = "reg/r:2"\nmirrors = ["m/r:2"]\n\n',
    );
    const config = parseBuilderConfig(text, join(dir, "builder.toml"));
    expect(config.buildImage).toBe("reg/b:2");
    expect(config.runImages).toEqual([{ image: "reg/r:2", mirrors: ["m/r:2"] }]);
  });

  test("a syntax error names the file and line", () => {
    const err = errorOf(() =>
      parseBuilderConfig(valid.replace('uri = "pip"', 'uri = "pip'), "stacks/x/builder.toml"),
    );
    expect(err.title).toContain("stacks/x/builder.toml is not valid TOML");
    expect(err.location).toMatchObject({ file: "stacks/x/builder.toml", line: 11 });
    expect(err.exitCode).toBe(2);
  });

  test.each([
    ["a missing build image", valid.replace('build-image = "reg/build:1"\n', ""), "no build image", 2],
    ["an unknown top-level key", `${valid}\n[oder]\nx = 1\n`, 'unknown key "oder"', 20],
    [
      "a buildpack dir without buildpack.toml",
      valid.replace('uri = "pip"', 'uri = "nope"'),
      'buildpack uri "nope" has no buildpack.toml',
      10,
    ],
  ])("%s is an error with a line", (_, text, message, line) => {
    const err = errorOf(() => parseBuilderConfig(text, join(dir, "builder.toml")));
    expect(err.title).toContain(message);
    expect(err.location?.line).toBe(line);
  });

  test("order entries must name an included buildpack", () => {
    const text = valid.replace('id = "t/pip"', 'id = "t/poetry"');
    const config = parseBuilderConfig(text, join(dir, "builder.toml"));
    const bps = config.buildpackDirs.map(readBuildpackDescriptor);
    const err = errorOf(() => resolveOrder(config, bps, text));
    expect(err.title).toContain("t/poetry is not among the [[buildpacks]]");
    expect(err.hint).toContain("t/python@1.2.3");
    expect(err.location?.line).toBe(17);
  });

  test("resolveOrder fills in versions", () => {
    const config = parseBuilderConfig(valid, join(dir, "builder.toml"));
    const order = resolveOrder(config, config.buildpackDirs.map(readBuildpackDescriptor), valid);
    expect(order[0]?.group).toEqual([
      { id: "t/python", version: "1.2.3" },
      { id: "t/pip", version: "1.2.3", optional: true },
    ]);
  });
});
