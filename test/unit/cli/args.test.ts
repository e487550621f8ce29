import { describe, expect, test } from "vitest";
import { parseCommand } from "../../../src/cli/args.js";
import { MlBuildpacksError } from "../../../src/core/errors.js";

describe("CLI arguments", () => {
  test("build with every option", () => {
    const cmd = parseCommand([
      "build",
      "app",
      "--image",
      "r/a:1",
      "--tag",
      "r/a:2",
      "--builder",
      "b:1",
      "--cache-dir",
      "/c",
      "--clear-cache",
      "--env",
      "A=1",
      "--env",
      "B=x=y",
      "--platform",
      "linux/arm64",
      "--pull",
      "always",
      "--report",
      "r.json",
    ]);
    expect(cmd).toMatchObject({
      kind: "build",
      reportFile: "r.json",
      request: {
        appDir: "app",
        image: "r/a:1",
        additionalTags: ["r/a:2"],
        builder: "b:1",
        cacheDir: "/c",
        clearCache: true,
        env: { A: "1", B: "x=y" },
        platform: "linux/arm64",
        pull: "always",
      },
    });
  });

  test("--ca-certs defaults to ML_BUILDPACKS_CA_CERTS, then SSL_CERT_FILE, when the file exists", () => {
    const parse = (env: NodeJS.ProcessEnv, files: string[]) =>
      parseCommand(["build", ".", "--image", "r/a"], env, (p) => files.includes(p));
    expect(parse({ SSL_CERT_FILE: "/s.crt" }, ["/s.crt"])).toMatchObject({ request: { caCerts: "/s.crt" } });
    expect(
      parse({ ML_BUILDPACKS_CA_CERTS: "/m.crt", SSL_CERT_FILE: "/s.crt" }, ["/m.crt", "/s.crt"]),
    ).toMatchObject({
      request: { caCerts: "/m.crt" },
    });
    expect(parse({ SSL_CERT_FILE: "/missing.crt" }, [])).toMatchObject({ request: { caCerts: undefined } });
  });

  test("--flavor picks the published builder of this release; the namespace follows ML_BUILDPACKS_NAMESPACE; --builder wins", () => {
    const builderOf = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      (parseCommand(["build", ".", "--image", "r/a", ...args], env) as { request: { builder: string } })
        .request.builder;
    expect(builderOf(["--flavor", "cuda"])).toBe("ghcr.io/ml-buildpacks/ml-buildpacks/builder:cuda-1.0.0");
    expect(builderOf([], { ML_BUILDPACKS_NAMESPACE: "registry.corp/Mirror/mlb/" })).toBe(
      "registry.corp/mirror/mlb/builder:cpu-1.0.0",
    );
    expect(builderOf(["--flavor", "cuda", "--builder", "b:1"])).toBe("b:1");
    expect(() => builderOf(["--flavor", "tpu"])).toThrow(/--flavor/);
  });

  test.each([
    [[], {}, undefined],
    [
      ["--flavor", "cuda"],
      { ML_BUILDPACKS_NAMESPACE: "registry.corp/mlb" },
      "registry.corp/mlb/run:cuda-1.0",
    ],
    [["--builder", "b:1"], { ML_BUILDPACKS_NAMESPACE: "registry.corp/mlb" }, undefined],
    [["--run-image", "r:2"], { ML_BUILDPACKS_NAMESPACE: "registry.corp/mlb" }, "r:2"],
  ])("run image with %j and %j: %s (a mirror's, with the default builder only)", (args, env, run) => {
    const command = parseCommand(["build", ".", "--image", "r/a", ...args], env) as {
      request: { runImage: string | undefined };
    };
    expect(command.request.runImage).toBe(run);
  });

  test("defaults", () => {
    expect(parseCommand(["build", ".", "--image", "r/a"])).toMatchObject({
      request: {
        builder: "ghcr.io/ml-buildpacks/ml-buildpacks/builder:cpu-1.0.0",
        cacheDir: undefined,
        pull: "missing",
        env: {},
        compression: "fast",
        memoryLimit: undefined,
      },
    });
    expect(parseCommand(["build", ".", "--image", "r/a", "--compression", "small"])).toMatchObject({
      request: { compression: "small" },
    });
    expect(parseCommand(["build", ".", "--image", "r/a", "--memory", "1G"])).toMatchObject({
      request: { memoryLimit: "1g" },
    });
  });

  test("manifest tag: an image and its new tags", () => {
    expect(
      parseCommand([
        "manifest",
        "tag",
        "--image",
        "r.io/a:1",
        "--tag",
        "r.io/a:1.0",
        "--tag",
        "r.io/a:latest",
        "--insecure-registry",
        "r.io",
      ]),
    ).toEqual({
      kind: "manifest-tag",
      image: "r.io/a:1",
      tags: ["r.io/a:1.0", "r.io/a:latest"],
      caCerts: undefined,
      insecureRegistries: ["r.io"],
    });
  });

  test.each([
    [["build", "--image", "x"], "exactly one APP_DIR"],
    [["build", "."], "--image is required"],
    [["build", ".", "--image", "x", "--nope"], "Unknown option '--nope'"],
    [["build", ".", "--image", "x", "--pull", "sometimes"], "--pull must be one of missing, always"],
    [["build", ".", "--image", "x", "--compression", "max"], "--compression must be one of fast, small"],
    [["build", ".", "--image", "x", "--memory", "lots"], '--memory "lots" is not a memory size'],
    [["build", ".", "--image", "x", "--memory", "5m"], '--memory "5m" is not a memory size'],
    [["build", ".", "--image", "x", "--memory", "1.5g"], '--memory "1.5g" is not a memory size'],
    [
      ["build", ".", "--image", "x", "--env", "NOEQUALS"],
      'build env "NOEQUALS" is not of the form KEY=VALUE',
    ],
    [["build", ".", "--image", "x", "--env", "CNB_USER_ID=0"], "CNB_USER_ID is reserved"],
    [["builder", "create", "--image", "x"], "--config is required"],
    [["deploy"], 'unknown command "deploy"'],
    [["manifest", "tag", "--tag", "r/a:2"], "--image is required"],
    [["manifest", "tag", "--image", "r/a:1"], "at least one --tag REF is required"],
    [["manifest", "copy"], 'unknown manifest subcommand "copy" (known: create, tag)'],
  ])("%j is a usage error", (argv, text) => {
    let error: unknown;
    try {
      parseCommand(argv);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MlBuildpacksError);
    expect((error as MlBuildpacksError).title).toContain(text);
    expect((error as MlBuildpacksError).exitCode).toBe(2);
  });
});
