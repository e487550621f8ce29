import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { BUILDER_CLI_DIR, BUILDER_CLI_WRAPPER, writeContext } from "../../../src/core/builder/create.js";

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), "builder-cli-test-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fixture(cliFiles: string[]) {
  const lifecycle = temp();
  for (const f of ["lifecycle", "launcher"]) writeFileSync(join(lifecycle, f), "#!/bin/sh\n");
  const cli = temp();
  for (const f of cliFiles)
    writeFileSync(join(cli, f), f === "package.json" ? '{"type":"module"}\n' : "// cli\n");
  const context = temp();
  const config = {
    buildImage: "127.0.0.1:5000/ml-buildpacks/build:cpu",
    runImages: [{ image: "127.0.0.1:5000/ml-buildpacks/run:cpu", mirrors: [] }],
  } as unknown as Parameters<typeof writeContext>[3];
  return { lifecycle, cli, context, config };
}

describe("builder create carries the CLI", () => {
  test("dist/cli goes to /cnb/ml-buildpacks with an executable ml-buildpacks wrapper on PATH", () => {
    const { lifecycle, cli, context, config } = fixture(["index.js", "package.json"]);
    const dockerfile = readFileSync(writeContext(context, lifecycle, [], config, [], cli), "utf8");
    expect(dockerfile).toContain(`COPY cli ${BUILDER_CLI_DIR}\n`);
    expect(dockerfile).toContain(`COPY ml-buildpacks ${BUILDER_CLI_WRAPPER}\n`);
    // After the lifecycle and /cnb files: the buildpack layers keep their positions.
    expect(dockerfile.indexOf("COPY cli")).toBeGreaterThan(dockerfile.indexOf("COPY order.toml"));
    expect(readFileSync(join(context, "cli", "index.js"), "utf8")).toBe("// cli\n");
    const wrapper = join(context, "ml-buildpacks");
    expect(readFileSync(wrapper, "utf8")).toBe(`#!/bin/sh\nexec node ${BUILDER_CLI_DIR}/index.js "$@"\n`);
    expect(statSync(wrapper).mode & 0o777).toBe(0o755);
  });

  test("an incomplete bundle is an error saying how to build it", () => {
    const { lifecycle, cli, context, config } = fixture(["package.json"]);
    expect(() => writeContext(context, lifecycle, [], config, [], cli)).toThrow(
      /the bundled CLI is incomplete: no index.js/,
    );
  });

  test("without a CLI dir the builder is as before", () => {
    const { lifecycle, context, config } = fixture([]);
    mkdirSync(join(context, "x"));
    const dockerfile = readFileSync(writeContext(context, lifecycle, [], config, [], undefined), "utf8");
    expect(dockerfile).not.toContain(BUILDER_CLI_DIR);
  });
});
