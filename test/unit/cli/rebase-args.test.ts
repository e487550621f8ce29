import { describe, expect, test } from "vitest";
import { parseCommand, USAGE } from "../../../src/cli/args.js";
import { MlBuildpacksError } from "../../../src/core/errors.js";

describe("rebase arguments", () => {
  test("every option", () => {
    expect(
      parseCommand([
        "rebase",
        "--image",
        "r.test/a:1",
        "--run-image",
        "r.test/run:patched",
        "--builder",
        "r.test/b:1",
        "--report",
        "out.json",
        "--log-level",
        "debug",
        "--insecure-registry",
        "r.test",
        "--ca-certs",
        "/ca.pem",
        "--executor",
        "local",
      ]),
    ).toEqual({
      kind: "rebase",
      reportFile: "out.json",
      executor: "local",
      request: {
        image: "r.test/a:1",
        runImage: "r.test/run:patched",
        builder: "r.test/b:1",
        logLevel: "debug",
        caCerts: "/ca.pem",
        insecureRegistries: ["r.test"],
      },
    });
  });

  test("the builder defaults as for build: the flavor's published builder, a mirror's when set", () => {
    const cmd = parseCommand(["rebase", "--image", "r.test/a:1", "--flavor", "cuda"], {
      ML_BUILDPACKS_NAMESPACE: "mirror.test/ml",
    });
    expect(cmd.kind === "rebase" && cmd.request.builder).toMatch(/^mirror\.test\/ml\/builder:cuda-/);
    expect(cmd.kind === "rebase" && cmd.request.runImage).toBeUndefined();
  });

  test.each([
    [["rebase"], "--image is required"],
    [["rebase", "--image", "a:1", "extra"], 'unexpected argument "extra"'],
    [["rebase", "--image", "a:1", "--flavor", "gpu"], "--flavor must be one of cpu, cuda"],
    [["rebase", "--image", "a:1", "--tag", "b"], "--tag"],
    [["rebase", "--image", "a:1", "--executor", "k8s"], "--executor must be one of docker, local"],
  ])("%j is refused: %s", (argv, text) => {
    expect(() => parseCommand(argv)).toThrowError(MlBuildpacksError);
    expect(() => parseCommand(argv)).toThrowError(text);
  });

  test("--help lists the command and its options", () => {
    expect(USAGE).toContain("ml-buildpacks rebase --image REF [--run-image REF]");
    expect(USAGE).toContain("rebase options");
    expect(parseCommand(["rebase", "--help"]).kind).toBe("help");
  });
});
