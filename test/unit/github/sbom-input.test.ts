// The action's sbom-output-dir input and the CLI's --sbom-output-dir: into the request, absolute,
// and refused without a push (the SBOM is read back from the pushed image).
import { describe, expect, test } from "vitest";
import { parseCommand } from "../../../src/cli/args.js";
import { MlBuildpacksError } from "../../../src/core/errors.js";
import { parseInputs, sbomDirOf, toBuildRequest } from "../../../src/github/inputs.js";

const given =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? "";
const ctx = { workspace: "/home/runner/work/app", cacheDir: undefined, caCerts: undefined };

describe("the action's sbom-output-dir input", () => {
  test("a relative dir is under the workspace; the request carries it", () => {
    const inputs = parseInputs(given({ image: "ghcr.io/o/app:1", "sbom-output-dir": " sbom " }));
    expect(sbomDirOf(inputs, ctx.workspace)).toBe("/home/runner/work/app/sbom");
    expect(toBuildRequest(inputs, ctx).sbomOutputDir).toBe("/home/runner/work/app/sbom");
  });

  test("empty: no SBOM is written and sbom-dir is empty", () => {
    const inputs = parseInputs(given({ image: "ghcr.io/o/app:1" }));
    expect(sbomDirOf(inputs, ctx.workspace)).toBeUndefined();
    expect(toBuildRequest(inputs, ctx).sbomOutputDir).toBeUndefined();
  });

  test("with publish: false it says what to change", () => {
    let error: unknown;
    try {
      parseInputs(given({ image: "ghcr.io/o/app:1", publish: "false", "sbom-output-dir": "/tmp/sbom" }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MlBuildpacksError);
    expect((error as MlBuildpacksError).hint).toMatch(/publish: true/);
  });
});

describe("the CLI's --sbom-output-dir", () => {
  test("goes into the request", () => {
    const c = parseCommand([
      "build",
      "app",
      "--image",
      "registry.example.test/app:1",
      "--sbom-output-dir",
      "out/sbom",
    ]);
    expect(c.kind === "build" && c.request.sbomOutputDir).toBe("out/sbom");
  });

  test("is refused with --no-publish", () => {
    expect(() =>
      parseCommand(["build", "app", "--image", "app:1", "--no-publish", "--sbom-output-dir", "out"]),
    ).toThrow(/--sbom-output-dir reads the SBOM of the pushed image/);
  });
});
