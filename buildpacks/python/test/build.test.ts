import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildpackError, parseToml } from "../../../src/libcnb/index.js";
import { fakeExec } from "../../../src/libcnb/testing.js";
import { build } from "../src/build.js";
import { buildContext } from "./helpers.js";

const python3135 = fakeExec(() => ({ stdout: "3.13.5\n" }));

describe("python build", () => {
  it("finds the stack's version, writes the python layer env and a label", async () => {
    const ctx = buildContext({ "app.py": "" }, python3135);
    const result = await build(ctx);
    expect(python3135.calls[0]?.command).toBe("/usr/bin/python3");
    expect(result).toEqual({ labels: [{ key: "io.ml-buildpacks.python.version", value: "3.13.5" }] });
    const layer = join(ctx.layersDir, "python");
    expect(readFileSync(join(layer, "env.build", "ML_BUILDPACKS_PYTHON_VERSION.override"), "utf8")).toBe(
      "3.13.5",
    );
    expect(readFileSync(join(layer, "env", "PYTHONUNBUFFERED.default"), "utf8")).toBe("1");
    expect(parseToml(readFileSync(`${layer}.toml`, "utf8"))).toEqual({
      types: { build: true, launch: true, cache: false },
      metadata: { python_version: "3.13.5" },
    });
    expect(ctx.logger.text()).toContain("[Determining Python version]");
    expect(ctx.logger.text()).toContain("- No .python-version in the app: using Python 3.13.5");
  });

  it("accepts a .python-version the stack satisfies", async () => {
    const ctx = buildContext({ ".python-version": "3.13\n" }, python3135);
    await build(ctx);
    expect(ctx.logger.text()).toContain("- .python-version requests Python 3.13: satisfied by 3.13.5");
  });

  it("fails with file, line, both versions and what to do when the stack can't satisfy .python-version", async () => {
    const ctx = buildContext({ ".python-version": "# app\n3.12\n" }, python3135);
    const err = await build(ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildpackError);
    const e = err as BuildpackError;
    expect(e.title).toBe("Python 3.12 was requested, but this builder provides Python 3.13.5");
    expect(e.file).toBe(".python-version");
    expect(e.line).toBe(2);
    expect(e.body).toContain('change .python-version to "3.13" (or remove the file)');
    expect(existsSync(join(ctx.layersDir, "python.toml"))).toBe(false);
  });

  it("explains a missing interpreter", async () => {
    const exec = fakeExec(() => ({ code: 127, spawnError: "spawn /usr/bin/python3 ENOENT" }));
    const err = await build(buildContext({ "app.py": "" }, exec)).catch((e: unknown) => e);
    expect((err as BuildpackError).title).toBe("Python was not found at /usr/bin/python3");
  });
});
