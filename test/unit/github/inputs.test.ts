import { describe, expect, test } from "vitest";
import { MlBuildpacksError } from "../../../src/core/errors.js";
import { parseInputs, toBuildRequest } from "../../../src/github/inputs.js";

const given =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? "";

describe("action inputs", () => {
  test("defaults", () => {
    expect(parseInputs(given({ image: "ghcr.io/o/app:1" }))).toEqual({
      path: ".",
      image: "ghcr.io/o/app:1",
      tags: [],
      builder: "ghcr.io/ml-buildpacks/ml-buildpacks/builder:cpu-1.0.0",
      runImage: undefined,
      previousImage: undefined,
      env: {},
      secrets: {},
      publish: true,
      cache: true,
      cacheScope: undefined,
      trustBuilder: false,
      clearCache: false,
      fastPath: true,
      compression: "fast",
      memory: undefined,
      platform: undefined,
      insecureRegistries: [],
    });
  });

  test("flavor picks the published builder (the runner's ML_BUILDPACKS_NAMESPACE names a mirror); builder wins", () => {
    const builderOf = (values: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
      parseInputs(given({ image: "ghcr.io/o/app:1", ...values }), env).builder;
    expect(builderOf({ flavor: "cuda" })).toBe("ghcr.io/ml-buildpacks/ml-buildpacks/builder:cuda-1.0.0");
    expect(builderOf({}, { ML_BUILDPACKS_NAMESPACE: "registry.corp/mlb" })).toBe(
      "registry.corp/mlb/builder:cpu-1.0.0",
    );
    expect(builderOf({ flavor: "cuda", builder: "ghcr.io/o/builder:x" })).toBe("ghcr.io/o/builder:x");
    expect(() => builderOf({ flavor: "gpu" })).toThrow('input "flavor" must be one of cpu, cuda, not "gpu"');
  });

  test.each([
    [{}, {}, undefined],
    [{ flavor: "cuda" }, { ML_BUILDPACKS_NAMESPACE: "registry.corp/mlb" }, "registry.corp/mlb/run:cuda-1.0"],
    [{ builder: "ghcr.io/o/builder:x" }, { ML_BUILDPACKS_NAMESPACE: "registry.corp/mlb" }, undefined],
    [{ "run-image": "ghcr.io/o/run:x" }, { ML_BUILDPACKS_NAMESPACE: "registry.corp/mlb" }, "ghcr.io/o/run:x"],
  ])("run image with %j and %j: %s (a mirror's, with the default builder only)", (values, env, run) => {
    expect(parseInputs(given({ image: "ghcr.io/o/app:1", ...values }), env).runImage).toBe(run);
  });

  test("an image named after a GitHub repository with capitals is lower-cased, its tag kept", () => {
    const inputs = parseInputs(
      given({ image: "ghcr.io/Alice/Hello-ML:Feature-X", tags: "ghcr.io/Alice/Hello-ML:Main" }),
    );
    expect(inputs.image).toBe("ghcr.io/alice/hello-ml:Feature-X");
    expect(inputs.tags).toEqual(["ghcr.io/alice/hello-ml:Main"]);
  });

  test("every input", () => {
    const inputs = parseInputs(
      given({
        path: "services/model",
        image: "ghcr.io/o/app:1",
        tags: "1.2\nlatest, ghcr.io/o/other:x",
        builder: "ghcr.io/o/builder:cuda",
        "run-image": "ghcr.io/o/run:cuda",
        env: "# build env\nPIP_INDEX_URL=https://pypi.example/simple\n\nA=b=c\n",
        publish: "false",
        cache: "False",
        "cache-scope": "cuda-arm64",
        "trust-builder": "TRUE",
        "clear-cache": "true",
        "fast-path": "false",
        compression: "small",
        memory: " 1536m ",
        "previous-image": "ghcr.io/o/app:main",
        platform: "linux/arm64",
      }),
    );
    expect(inputs).toMatchObject({
      tags: ["ghcr.io/o/app:1.2", "ghcr.io/o/app:latest", "ghcr.io/o/other:x"],
      env: { PIP_INDEX_URL: "https://pypi.example/simple", A: "b=c" },
      publish: false,
      cache: false,
      cacheScope: "cuda-arm64",
      trustBuilder: true,
      clearCache: true,
      fastPath: false,
      compression: "small",
      memory: "1536m",
      previousImage: "ghcr.io/o/app:main",
      platform: "linux/arm64",
    });
  });

  test.each([
    [{}, 'input "image" is required'],
    [{ image: "a/b", cache: "maybe" }, 'input "cache" must be true or false, not "maybe"'],
    [{ image: "a/b", publish: "yes" }, 'input "publish" must be true or false, not "yes"'],
    [{ image: "a/b", platform: "windows/amd64" }, 'input "platform" must be one of linux/amd64, linux/arm64'],
    [{ image: "a/b", env: "OK=1\nnot a pair" }, 'input "env" line 2 is not KEY=VALUE'],
    [{ image: "a/b", "cache-scope": "a b" }, 'input "cache-scope" may only hold'],
    [{ image: "ghcr.io/o/app:bad tag!" }, "is not a valid image reference"],
    [{ image: "a/b", compression: "max" }, 'input "compression" must be one of fast, small, not "max"'],
    [{ image: "a/b", memory: "2 GB" }, 'input "memory" "2 GB" is not a memory size'],
  ])("%j is refused: %s", (values, message) => {
    let error: unknown;
    try {
      parseInputs(given(values as Record<string, string>));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MlBuildpacksError);
    expect((error as MlBuildpacksError).title).toContain(message);
  });

  test("toBuildRequest resolves the path against the workspace and drops the cache dir when caching is off", () => {
    const inputs = parseInputs(given({ image: "a/b", path: "app" }));
    expect(toBuildRequest(inputs, { workspace: "/ws", cacheDir: "/c", caCerts: undefined })).toMatchObject({
      appDir: "/ws/app",
      cacheDir: "/c",
      publish: true,
    });
    const off = parseInputs(given({ image: "a/b", path: "/abs", cache: "false" }));
    expect(toBuildRequest(off, { workspace: "/ws", cacheDir: "/c", caCerts: undefined })).toMatchObject({
      appDir: "/abs",
      cacheDir: undefined,
    });
  });
});
