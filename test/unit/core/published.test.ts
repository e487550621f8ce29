import { describe, expect, test } from "vitest";
import {
  defaultBuilder,
  fillBuilderTemplate,
  publishedImage,
  publishedNamespace,
  publishedTag,
  versionLine,
  versionTags,
} from "../../../src/core/published.js";

describe("published names", () => {
  test.each([
    [{}, "ghcr.io/ml-buildpacks/ml-buildpacks"],
    [{ ML_BUILDPACKS_NAMESPACE: " registry.corp:8443/Platform/MLB/ " }, "registry.corp:8443/platform/mlb"],
    [{ ML_BUILDPACKS_NAMESPACE: "" }, "ghcr.io/ml-buildpacks/ml-buildpacks"],
  ])("namespace from %j", (env, ns) => {
    expect(publishedNamespace(env)).toBe(ns);
  });

  test.each([
    [{ flavor: "cpu" }, "cpu"],
    [{ flavor: "cpu", arch: "amd64" }, "cpu-amd64"],
    [{ flavor: "cuda", version: "1.0.0" }, "cuda-1.0.0"],
    [{ flavor: "cuda", version: "1.0", arch: "arm64" }, "cuda-1.0-arm64"],
  ])("tag of %j is %s", (parts, tag) => {
    expect(publishedTag(parts)).toBe(tag);
  });

  test("image names and version tags", () => {
    expect(publishedImage("ghcr.io/o/mlb", "run", { flavor: "cpu", version: "1.0" })).toBe(
      "ghcr.io/o/mlb/run:cpu-1.0",
    );
    expect(versionTags("1.4.2")).toEqual(["1.4.2", "1.4", "1"]);
    expect(versionLine("1.4.2")).toBe("1.4");
    expect(defaultBuilder({}, "cuda", "2.0.1")).toBe(
      "ghcr.io/ml-buildpacks/ml-buildpacks/builder:cuda-2.0.1",
    );
  });

  test("a builder.toml template is filled everywhere it names the namespace, version or line", () => {
    const text =
      'build-image = "${namespace}/build:cpu-${version}"\nrun-image = "${namespace}/run:cpu-${line}"\n';
    expect(fillBuilderTemplate(text, { namespace: "r.io/x", version: "1.2.3" })).toBe(
      'build-image = "r.io/x/build:cpu-1.2.3"\nrun-image = "r.io/x/run:cpu-1.2"\n',
    );
  });
});
