import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildpackError, parseToml, stringifyToml } from "#libcnb";
import { type ExecCall, fakeExec } from "#libcnb/testing";
import { sha256 } from "#pybuild/project-files";
import { expectVenvFromSelectedPython, stackPythonAnswer } from "#pybuild/testing";
import { build } from "../src/build.js";
import { buildContext } from "./helpers.js";

const PIPFILE = '[packages]\nsix = "*"\n';
const LOCK = JSON.stringify({
  _meta: { hash: { sha256: "271a39dea75aaee67a62" } },
  default: { six: {} },
  develop: {},
});
const FILES = { Pipfile: PIPFILE, "Pipfile.lock": LOCK };

/** Stack Python + pip, a pipenv that verifies and syncs, and the venv's Python listing packages. */
function fakeTools(opts: { verify?: { code: number; output: string }; syncFails?: boolean } = {}) {
  return fakeExec((call: ExecCall) => {
    const stack = stackPythonAnswer(call);
    if (stack) return stack;
    const { command, args } = call;
    if (command.endsWith("/bin/pipenv")) {
      if (args[0] === "--version") return { stdout: "pipenv, version 2026.10.3\n" };
      if (args[0] === "verify")
        return opts.verify
          ? { code: opts.verify.code, stdout: opts.verify.output }
          : { stdout: "Pipfile.lock is up-to-date.\n" };
      if (args[0] === "sync")
        return opts.syncFails
          ? { code: 1, stderr: "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES\n" }
          : { stdout: "All dependencies are now up-to-date!\n" };
    }
    if (command.endsWith("/venv/bin/python")) return { stdout: "six==1.17.0\n" };
    return {};
  });
}

const toml = (path: string) => parseToml(readFileSync(path, "utf8"));

describe("pipenv build", () => {
  it("installs pipenv hash-pinned, verifies the lock, then syncs it into the venv", async () => {
    const exec = fakeTools();
    const ctx = buildContext(FILES, exec);
    await build(ctx);

    const tool = join(ctx.layersDir, "pipenv");
    const venv = join(ctx.layersDir, "venv");
    const lines = exec.calls.map((c) => [c.command, ...c.args].join(" "));
    expect(lines.slice(1, 7)).toEqual([
      `/usr/bin/python3 -m venv --without-pip ${tool}`,
      `/usr/bin/python3 -m pip --python ${tool}/bin/python install --require-hashes --no-deps --only-binary :all: ` +
        `--no-cache-dir --no-input --progress-bar off --disable-pip-version-check --requirement ${ctx.buildpack.dir}/bin/tool-requirements.txt`,
      `${tool}/bin/pipenv --version`,
      `${tool}/bin/pipenv verify`,
      `/usr/bin/python3 -m venv --without-pip ${venv}`,
      `${tool}/bin/pipenv sync --categories packages`,
    ]);
    expect(exec.calls[6]?.options.env).toMatchObject({
      VIRTUAL_ENV: venv,
      PIPENV_PIPFILE: join(ctx.appDir, "Pipfile"),
      PIP_CACHE_DIR: join(ctx.layersDir, "pip-cache", "pip"),
      PIPENV_IGNORE_VIRTUALENVS: undefined,
    });
    expect(toml(`${venv}.toml`)).toEqual({
      types: { build: false, launch: true, cache: false },
      metadata: {
        layer_version: 2,
        lock_sha256: sha256(LOCK),
        pipfile_sha256: sha256(PIPFILE),
        categories: "packages",
        python_version: "3.13.5",
        pipenv_version: "2026.10.3",
        arch: "amd64",
        distro_name: "debian",
        distro_version: "13",
      },
    });
    expect(readFileSync(join(venv, "env.launch", "VIRTUAL_ENV.override"), "utf8")).toBe(venv);
    expect(toml(`${tool}.toml`)).toMatchObject({ types: { build: false, launch: false, cache: true } });
    expect(ctx.logger.text()).toContain("- Installed: six==1.17.0\n");
  });

  it("reuses the venv when nothing changed", async () => {
    const exec = fakeTools();
    const first = buildContext(FILES, exec);
    await build(first);
    const venvMeta = toml(join(first.layersDir, "venv.toml")).metadata;
    const ctx = buildContext(FILES, exec);
    writeFileSync(join(ctx.layersDir, "venv.toml"), stringifyToml({ metadata: venvMeta }));
    exec.calls.length = 0;
    await build(ctx);
    expect(exec.calls).toHaveLength(1);
    expect(existsSync(join(ctx.layersDir, "venv"))).toBe(false);
    expect(ctx.logger.text()).toContain("- Reusing virtual environment (Pipfile.lock and Pipfile unchanged)");
  });

  it("rebuilds when the Pipfile or BP_PIPENV_CATEGORIES changed, saying why", async () => {
    const exec = fakeTools();
    const first = buildContext(FILES, exec);
    await build(first);
    const venvMeta = toml(join(first.layersDir, "venv.toml")).metadata as Record<string, unknown>;
    const ctx = buildContext(FILES, exec);
    writeFileSync(
      join(ctx.layersDir, "venv.toml"),
      stringifyToml({ metadata: { ...venvMeta, pipfile_sha256: "ab".repeat(32) } }),
    );
    await build({ ...ctx, env: { BP_PIPENV_CATEGORIES: "packages dev-packages" } });
    const log = ctx.logger.text();
    expect(log).toContain(`  Pipfile changed (sha256 abababab… -> ${sha256(PIPFILE).slice(0, 8)}…)`);
    expect(log).toContain("  categories packages -> dev-packages,packages");
    expect(exec.calls.some((c) => c.args.join(" ") === "sync --categories dev-packages packages")).toBe(true);
  });

  it("stops like pipenv install --deploy when the lock is out of date", async () => {
    const ctx = buildContext(
      FILES,
      fakeTools({
        verify: { code: 1, output: "Pipfile.lock is out-of-date. Run $ pipenv lock to update.\n" },
      }),
    );
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err).toBeInstanceOf(BuildpackError);
    expect(err.title).toBe("Pipfile.lock is out of date with the Pipfile");
    expect(err.file).toBe("Pipfile.lock");
    expect(err.body).toContain("whose hash was 271a39dea75a…");
    expect(err.body).toContain("Run `pipenv lock`, commit Pipfile.lock, and build again.");
    expect(existsSync(join(ctx.layersDir, "venv"))).toBe(false);
  });

  it("refuses a Python other than [requires] python_version before installing anything", async () => {
    const pipfile = `${PIPFILE}\n[requires]\npython_version = "3.12"\n`;
    const lock = JSON.stringify(
      { _meta: { hash: { sha256: "ab" }, requires: { python_version: "3.12" } }, default: {} },
      null,
      4,
    );
    const exec = fakeTools();
    const ctx = buildContext({ Pipfile: pipfile, "Pipfile.lock": lock }, exec);
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err).toBeInstanceOf(BuildpackError);
    expect(err.title).toBe("Python 3.13.5 is not the 3.12 that Pipfile requires");
    expect(err.file).toBe("Pipfile");
    expect(err.line).toBe(5);
    expect(err.body).toContain('  Pipfile:5       [requires] python_version = "3.12"');
    expect(err.body).toContain('  Pipfile.lock:7  _meta.requires.python_version = "3.12"');
    expect(err.body).toContain("run `pipenv lock`");
    expect(exec.calls.some((c) => c.command.endsWith("/bin/pipenv"))).toBe(false);
  });

  it("accepts the Python python_version / python_full_version name", async () => {
    const pipfile = `${PIPFILE}\n[requires]\npython_version = "3.13"\npython_full_version = "3.13.5"\n`;
    await build(buildContext({ Pipfile: pipfile, "Pipfile.lock": LOCK }, fakeTools()));
  });

  it("fails with hints when pipenv sync fails", async () => {
    const ctx = buildContext(FILES, fakeTools({ syncFails: true }));
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err.title).toBe("pipenv could not install Pipfile.lock");
    expect(err.body).toContain("does not match the hash Pipfile.lock records");
    expect(existsSync(join(ctx.layersDir, "venv.toml"))).toBe(false);
  });
  it("builds the venv from the interpreter ml-buildpacks/python selected; the tool stays on the stack's", async () => {
    await expectVenvFromSelectedPython(build, buildContext, FILES, fakeTools(), "pipenv");
  });
});
