// biome-ignore-all lint/suspicious/noTemplateCurlyInString: builder.toml templates use ${...} placeholders
import { describe, expect, test } from "vitest";
import {
  defaultBuilder,
  defaultRunImage,
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
    ["https://ghcr.io/o/mlb", /scheme/],
    [`ghcr.io/o/mlb@sha256:${"a".repeat(64)}`, /digest/],
    ["ghcr.io/o/mlb:1.0", /not registry\[:port\]\/name/],
    ["ghcr.io/o/ml buildpacks", /not registry\[:port\]\/name/],
    ["ml-buildpacks", /registry host/],
    ["team/ml-buildpacks", /registry host/],
  ])("namespace %s is refused: %s", (value, why) => {
    expect(() => publishedNamespace({ ML_BUILDPACKS_NAMESPACE: value })).toThrow(why);
  });

  test.each([
    ["127.0.0.1:5000/ml-buildpacks", "127.0.0.1:5000/ml-buildpacks"],
    [
      "registry.ml-buildpacks.test/ml-buildpacks/ml-buildpacks/",
      "registry.ml-buildpacks.test/ml-buildpacks/ml-buildpacks",
    ],
    ["docker.io/MyOrg", "docker.io/myorg"],
    ["registry.corp:8443", "registry.corp:8443"],
  ])("namespace %s is accepted as %s", (value, ns) => {
    expect(publishedNamespace({ ML_BUILDPACKS_NAMESPACE: value })).toBe(ns);
  });

  test.each([
    [{ flavor: "cpu" }, "cpu"],
    [{ flavor: "cpu", arch: "amd64" }, "cpu-amd64"],
    [{ flavor: "cuda", version: "1.0.0" }, "cuda-1.0.0"],
    [{ flavor: "cuda", version: "1.0", arch: "arm64" }, "cuda-1.0-arm64"],
  ])("tag of %j is %s", (parts, tag) => {
    expect(publishedTag(parts)).toBe(tag);
  });

  test.each([
    ["build", { flavor: "cpu", version: "1.0.0", arch: "amd64" }, "ghcr.io/o/mlb/build:cpu-1.0.0-amd64"],
    ["run", { flavor: "cpu", version: "1.0" }, "ghcr.io/o/mlb/run:cpu-1.0"],
    ["builder", { flavor: "cuda", version: "1", arch: "arm64" }, "ghcr.io/o/mlb/builder:cuda-1-arm64"],
    ["builder", { flavor: "cuda" }, "ghcr.io/o/mlb/builder:cuda"],
  ] as const)("%s image of %j is %s", (kind, parts, image) => {
    expect(publishedImage("ghcr.io/o/mlb", kind, parts)).toBe(image);
  });

  test.each([
    ["0.2.0", ["0.2.0", "0.2", "0"]],
    ["1.0.0", ["1.0.0", "1.0", "1"]],
    ["12.34.56", ["12.34.56", "12.34", "12"]],
  ])("version %s moves the tags %j", (version, tags) => {
    expect(versionTags(version)).toEqual(tags);
  });

  test.each([
    [{}, "cpu", "ghcr.io/ml-buildpacks/ml-buildpacks/builder:cpu-0.2.0"],
    [
      { ML_BUILDPACKS_NAMESPACE: "127.0.0.1:5000/ml-buildpacks" },
      "cuda",
      "127.0.0.1:5000/ml-buildpacks/builder:cuda-0.2.0",
    ],
  ] as const)("the default builder with %j and %s is %s", (env, flavor, builder) => {
    expect(defaultBuilder(env, flavor, "0.2.0")).toBe(builder);
  });

  test.each([
    [{}, "cpu", undefined],
    [{ ML_BUILDPACKS_NAMESPACE: "ghcr.io/ML-Buildpacks/ml-buildpacks" }, "cpu", undefined],
    [{ ML_BUILDPACKS_NAMESPACE: "mirror.corp/mlb" }, "cuda", "mirror.corp/mlb/run:cuda-0.2"],
  ] as const)("the default run image with %j and %s is %s (only a mirror's)", (env, flavor, run) => {
    expect(defaultRunImage(env, flavor, "0.2.0")).toBe(run);
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

  test("${arch} is filled only when an arch is given; unknown placeholders stay for the config check", () => {
    const text = "${namespace}/build:cpu-${version}-${arch} ${other}";
    expect(fillBuilderTemplate(text, { namespace: "n", version: "1.2.3", arch: "arm64" })).toBe(
      "n/build:cpu-1.2.3-arm64 ${other}",
    );
    expect(fillBuilderTemplate(text, { namespace: "n", version: "1.2.3" })).toBe(
      "n/build:cpu-1.2.3-${arch} ${other}",
    );
  });
});
