import { describe, expect, test } from "vitest";
import { MlBuildpacksError } from "../../../src/core/errors.js";
import { actionMode, rebaseOutputs, toRebaseRequest } from "../../../src/github/rebase-mode.js";

const inputs =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? "";

describe("the action's rebase mode", () => {
  test.each([
    ["", "build"],
    ["build", "build"],
    [" rebase ", "rebase"],
  ])("mode %j is %s", (value, mode) => {
    expect(actionMode(value)).toBe(mode);
  });

  test("another mode is refused, naming the known ones", () => {
    expect(() => actionMode("rebuild")).toThrowError(MlBuildpacksError);
    expect(() => actionMode("rebuild")).toThrowError(
      'input "mode" is "rebuild"; it must be one of build, rebase',
    );
  });

  test("inputs -> request: repository lower-cased, builder from the flavor, registries listed", () => {
    expect(
      toRebaseRequest(
        inputs({
          image: "ghcr.io/Org/App:1.0",
          "run-image": "ghcr.io/Org/run:patched",
          flavor: "cuda",
          "insecure-registries": "a.test:5000\nb.test",
        }),
        { ML_BUILDPACKS_NAMESPACE: "mirror.test/ml" },
        "/ca.pem",
      ),
    ).toEqual({
      image: "ghcr.io/org/app:1.0",
      runImage: "ghcr.io/org/run:patched",
      builder: expect.stringMatching(/^mirror\.test\/ml\/builder:cuda-/),
      caCerts: "/ca.pem",
      insecureRegistries: ["a.test:5000", "b.test"],
      logLevel: "info",
    });
  });

  test("no run-image: the recorded one; builder input wins over flavor", () => {
    const req = toRebaseRequest(inputs({ image: "r.test/a:1", builder: "r.test/b:1" }), {}, undefined);
    expect(req.runImage).toBeUndefined();
    expect(req.builder).toBe("r.test/b:1");
  });

  test.each([
    [{}, 'input "image" is required'],
    [{ image: "r.test/a:1", flavor: "gpu" }, 'input "flavor" is "gpu"'],
    [{ image: "R.test/a b" }, "is not a valid image reference"],
  ])("bad inputs %j: %s", (values, text) => {
    expect(() => toRebaseRequest(inputs(values), {}, undefined)).toThrowError(text);
  });

  test("outputs: the list's digest, else the single image's", () => {
    const platforms = [
      {
        platform: "linux/amd64",
        previousDigest: "sha256:a",
        digest: "sha256:b",
        runImage: "",
        previousRunImage: "",
        rebased: true,
      },
    ];
    expect(rebaseOutputs({ image: "r/a:1", indexDigest: "sha256:i", platforms }).digest).toBe("sha256:i");
    expect(rebaseOutputs({ image: "r/a:1", platforms }).digest).toBe("sha256:b");
    expect(JSON.parse(rebaseOutputs({ image: "r/a:1", platforms }).metadata)).toMatchObject({
      image: "r/a:1",
    });
  });
});
