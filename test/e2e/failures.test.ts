import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { cli, REGISTRY, RUN_ID, registryHas } from "./helpers.js";

// Bad input through the real CLI, lifecycle, Docker and registry: a clear message, a non-zero exit,
// nothing pushed. Uses the default cpu builder that `npm run infra` pushed.
function appWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "e2e-bad-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe("bad input", () => {
  test("an app no buildpack detects lists what was looked for", async () => {
    const repo = `e2e/undetected-${RUN_ID}`;
    const app = appWith({ "README.md": "# not a python app\n", "index.html": "<p>hi</p>\n" });
    const result = await cli(["build", app, "--image", `${REGISTRY}/${repo}:1`]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("no buildpack group detected this app");
    expect(result.output).toMatch(/requirements\.txt/);
    expect(result.output).toMatch(/\.python-version/);
    expect(await registryHas(repo, "1")).toBe(false);
  });

  test("a malformed builder.toml names the file and line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "e2e-builder-toml-"));
    const config = join(dir, "builder.toml");
    writeFileSync(config, '[stack]\nid = "x"\nbuild-image = "a/b:1\nrun-image = "a/c:1"\n');
    const result = await cli(["builder", "create", "--config", config, "--image", `${REGISTRY}/e2e/never:1`]);
    expect(result.code).toBe(2);
    expect(result.output).toContain(`${config} is not valid TOML`);
    expect(result.output).toContain(`at ${config}:3`);
  });

  test("a builder.toml order naming a missing buildpack is refused before anything is built", async () => {
    const dir = mkdtempSync(join(tmpdir(), "e2e-builder-order-"));
    mkdirSync(join(dir, "bp"));
    writeFileSync(
      join(dir, "bp", "buildpack.toml"),
      'api = "0.10"\n[buildpack]\nid = "x/bp"\nversion = "1.0.0"\n',
    );
    const config = join(dir, "builder.toml");
    writeFileSync(
      config,
      '[stack]\nbuild-image = "a/b:1"\nrun-image = "a/c:1"\n[[buildpacks]]\nuri = "bp"\n[[order]]\n[[order.group]]\nid = "x/other"\n',
    );
    const result = await cli(["builder", "create", "--config", config, "--image", `${REGISTRY}/e2e/never:1`]);
    expect(result.code).toBe(2);
    expect(result.output).toContain("order group entry x/other is not among the [[buildpacks]]");
    expect(result.output).toContain(`${config}:8`);
  });

  test("requirements pip cannot resolve: pip's error is shown and nothing is pushed", async () => {
    const repo = `e2e/unresolvable-${RUN_ID}`;
    const app = appWith({
      "requirements.txt": "ml-buildpacks-no-such-package-xyz==9.9.9\n",
      "app.py": "print('never')\n",
    });
    const result = await cli(["build", app, "--image", `${REGISTRY}/${repo}:1`]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(
      /No matching distribution found for ml-buildpacks-no-such-package-xyz==9\.9\.9/,
    );
    expect(result.output).toContain("a buildpack failed while building the app");
    expect(await registryHas(repo, "1")).toBe(false);
  });

  test("a build over its memory limit is killed, the error names the limit, and nothing is pushed", async () => {
    const repo = `e2e/out-of-memory-${RUN_ID}`;
    const app = appWith({ "requirements.txt": "six\n", "app.py": "print('never')\n" });
    const result = await cli([
      "build",
      app,
      "--image",
      `${REGISTRY}/${repo}:1`,
      "--trust-builder",
      "--memory",
      "8m",
    ]);
    expect(result.code).toBe(1);
    expect(result.output).toContain("ran out of memory (its container is limited to 8m) and was killed");
    expect(result.output).toContain("raise the limit (--memory");
    expect(await registryHas(repo, "1")).toBe(false);
  });

  test("an unreachable registry is a clear error before any phase runs", async () => {
    const app = appWith({ "app.py": "print('hi')\n" });
    const result = await cli(["build", app, "--image", "127.0.0.1:5999/e2e/nowhere:1"]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("cannot reach the registry 127.0.0.1:5999");
    expect(result.output).toMatch(/ECONNREFUSED/);
    expect(result.output).not.toContain("===> ANALYZING");
  });
});
