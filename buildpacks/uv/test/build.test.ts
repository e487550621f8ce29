import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildpackError, parseToml, stringifyToml } from "#libcnb";
import { type ExecCall, fakeExec, testTarget } from "#libcnb/testing";
import { sha256 } from "#pybuild/project-files";
import { stackPythonAnswer } from "#pybuild/testing";
import { build } from "../src/build.js";
import { uvToolKey } from "../src/layers/uv.js";
import { UV_VERSION } from "../src/uv-wheels.js";
import { buildContext } from "./helpers.js";

const PYPROJECT = '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["six"]\n';
const LOCK = 'version = 1\n\n[[package]]\nname = "six"\nversion = "1.17.0"\n';
const FILES = { "pyproject.toml": PYPROJECT, "uv.lock": LOCK };

/** Python answers its version and "creates" venvs; uv syncs (or fails); curl "downloads". */
function fakeTools(opts: { syncFails?: string } = {}) {
  return fakeExec((call: ExecCall) => {
    const stack = stackPythonAnswer(call, "3.13.5");
    if (stack) return stack;
    const { command, args } = call;
    if (command === "curl") {
      writeFileSync(args[args.indexOf("--output") + 1] ?? "", "not the real wheel");
      return {};
    }
    if (command.endsWith("/bin/uv") && args[0] === "sync") {
      if (opts.syncFails) return { code: 2, stderr: opts.syncFails };
      return { stderr: "Installed 1 package in 2ms\n + six==1.17.0\n" };
    }
    return {};
  });
}

/** What the lifecycle restores from the cache for a valid uv layer. */
function restoreUvLayer(layersDir: string) {
  writeFileSync(join(layersDir, "uv.toml"), stringifyToml({ metadata: uvToolKey("3.13.5", testTarget) }));
  mkdirSync(join(layersDir, "uv", "bin"), { recursive: true });
}

const toml = (path: string) => parseToml(readFileSync(path, "utf8"));

describe("uv build", () => {
  it("syncs the lock into a fresh venv with the cached uv, and caches downloads", async () => {
    const exec = fakeTools();
    const ctx = buildContext(FILES, exec);
    restoreUvLayer(ctx.layersDir);
    await build(ctx);

    const venv = join(ctx.layersDir, "venv");
    const uv = join(ctx.layersDir, "uv", "bin", "uv");
    expect(exec.calls.map((c) => [c.command, ...c.args].join(" "))).toEqual([
      expect.stringMatching(/^\/usr\/bin\/python3 -I -c /),
      `/usr/bin/python3 -m venv --without-pip ${venv}`,
      `${uv} sync --locked --no-install-project --no-default-groups`,
      `${venv}/bin/python -I -W ignore -m compileall -q -f -j 0 --invalidation-mode unchecked-hash ${venv}/lib`,
      `${uv} cache prune --ci --quiet`,
    ]);
    expect(exec.calls[2]?.options.env).toMatchObject({
      UV_PROJECT_ENVIRONMENT: venv,
      UV_CACHE_DIR: join(ctx.layersDir, "uv-cache"),
    });
    expect(toml(`${venv}.toml`)).toEqual({
      types: { build: false, launch: true, cache: false },
      metadata: {
        layer_version: 3,
        lock_sha256: sha256(LOCK),
        pyproject_sha256: sha256(PYPROJECT),
        groups: "",
        python_version: "3.13.5",
        uv_version: UV_VERSION,
        arch: "amd64",
        distro_name: "debian",
        distro_version: "13",
      },
    });
    expect(readFileSync(join(venv, "env.launch", "VIRTUAL_ENV.override"), "utf8")).toBe(venv);
    expect(toml(join(ctx.layersDir, "uv.toml"))).toMatchObject({
      types: { build: false, launch: false, cache: true },
    });
    expect(toml(join(ctx.layersDir, "uv-cache.toml"))).toMatchObject({
      types: { cache: true, launch: false },
    });
    const log = ctx.logger.text();
    expect(log).toContain("[Installing dependencies from uv.lock]");
    expect(log).toContain(`- Python 3.13.5 (/usr/bin/python3), uv ${UV_VERSION}, linux/amd64 (debian 13)`);
    expect(log).toContain(
      "- uv.lock: 1 packages; installing the project's dependencies (no dependency groups)",
    );
    expect(log).toContain(`- Using cached uv ${UV_VERSION}`);
    expect(log).toContain("- Running uv sync --locked --no-install-project --no-default-groups");
    expect(log).toContain("       + six==1.17.0\n");
  });

  it("reuses the previous image's venv when the key is unchanged: rewrites only venv.toml", async () => {
    const exec = fakeTools();
    const first = buildContext(FILES, exec);
    restoreUvLayer(first.layersDir);
    await build(first);
    const metadata = toml(join(first.layersDir, "venv.toml")).metadata;

    const ctx = buildContext(FILES, exec);
    writeFileSync(join(ctx.layersDir, "venv.toml"), stringifyToml({ metadata }));
    restoreUvLayer(ctx.layersDir);
    exec.calls.length = 0;
    await build(ctx);
    expect(exec.calls).toHaveLength(1); // the Python version probe only
    expect(existsSync(join(ctx.layersDir, "venv"))).toBe(false);
    expect(toml(join(ctx.layersDir, "venv.toml"))).toEqual({
      types: { build: false, launch: true, cache: false },
      metadata,
    });
    expect(toml(join(ctx.layersDir, "uv.toml"))).toMatchObject({ types: { cache: true } });
    expect(ctx.logger.text()).toContain(
      "- Reusing virtual environment (uv.lock and pyproject.toml unchanged)",
    );
  });

  it("rebuilds when the lock or BP_UV_GROUPS changed, saying why", async () => {
    const exec = fakeTools();
    const ctx = buildContext(FILES, exec);
    restoreUvLayer(ctx.layersDir);
    const old = {
      layer_version: 1,
      lock_sha256: "ab".repeat(32),
      pyproject_sha256: sha256(PYPROJECT),
      groups: "",
    };
    writeFileSync(join(ctx.layersDir, "venv.toml"), stringifyToml({ metadata: old }));
    await build({ ...ctx, env: { BP_UV_GROUPS: "dev" } });
    const log = ctx.logger.text();
    expect(log).toContain("- Discarding the virtual environment from the previous image:");
    expect(log).toContain(`  uv.lock changed (sha256 abababab… -> ${sha256(LOCK).slice(0, 8)}…)`);
    expect(log).toContain("  dependency groups (none) -> dev");
    expect(log).toContain("and the groups dev (BP_UV_GROUPS)");
    expect(exec.calls.some((c) => c.args.join(" ").endsWith("--no-default-groups --group dev"))).toBe(true);
  });

  it("downloads uv when not cached and refuses a wheel whose sha256 doesn't match the pin", async () => {
    const exec = fakeTools();
    const ctx = buildContext(FILES, exec);
    const err = await build(ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildpackError);
    expect((err as BuildpackError).title).toBe("The downloaded uv wheel does not match its pinned sha256");
    const curl = exec.calls.find((c) => c.command === "curl");
    expect(curl?.args).toEqual(expect.arrayContaining(["--fail", "--proto", "=https"]));
    expect(existsSync(join(ctx.layersDir, "uv.toml"))).toBe(false);
  });

  it("fails with a BuildpackError and hints when uv sync fails", async () => {
    const exec = fakeTools({
      syncFails: "error: Group `ml` is not defined in the project's `dependency-groups` table\n",
    });
    const ctx = buildContext(FILES, exec);
    restoreUvLayer(ctx.layersDir);
    const err = await build({ ...ctx, env: { BP_UV_GROUPS: "ml" } }).catch((e: unknown) => e);
    expect((err as BuildpackError).title).toBe("uv could not install uv.lock");
    expect((err as BuildpackError).body).toContain(
      "BP_UV_GROUPS names a group that pyproject.toml does not define",
    );
    expect(ctx.logger.text()).toContain("      error: Group `ml` is not defined");
    expect(existsSync(join(ctx.layersDir, "venv.toml"))).toBe(false);
  });

  it("a stale lock fails with uv's own message and the fix (uv sync --locked)", async () => {
    const stderr =
      "Resolved 2 packages in 3ms\nerror: The lockfile at `uv.lock` needs to be updated, but `--locked` was provided. To update the lockfile, run `uv lock`.\n";
    const ctx = buildContext(FILES, fakeTools({ syncFails: stderr }));
    restoreUvLayer(ctx.layersDir);
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err).toBeInstanceOf(BuildpackError);
    expect(err.title).toBe("uv.lock is out of date with pyproject.toml");
    expect(err.file).toBe("uv.lock");
    expect(err.body).toContain(
      "`uv sync --locked` says:\n\nerror: The lockfile at `uv.lock` needs to be updated, but `--locked` was provided.",
    );
    expect(err.body).not.toContain("Resolved 2 packages");
    expect(err.body).toContain("Run `uv lock`, commit uv.lock, and build again.");
    expect(existsSync(join(ctx.layersDir, "venv.toml"))).toBe(false);
  });

  it("refuses a Python outside requires-python before installing anything, naming both files", async () => {
    const pyproject = PYPROJECT.replace("[project]\n", '[project]\nrequires-python = ">=3.14"\n');
    const lock = LOCK.replace("version = 1\n", 'version = 1\nrequires-python = ">=3.14"\n');
    const exec = fakeTools();
    const ctx = buildContext({ "pyproject.toml": pyproject, "uv.lock": lock }, exec);
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err).toBeInstanceOf(BuildpackError);
    expect(err.title).toBe('Python 3.13.5 is outside pyproject.toml\'s requires-python = ">=3.14"');
    expect(err.file).toBe("pyproject.toml");
    expect(err.line).toBe(2);
    expect(err.body).toContain('  pyproject.toml:2  [project] requires-python = ">=3.14"');
    expect(err.body).toContain('  uv.lock:2         requires-python = ">=3.14"');
    expect(err.body).toContain("widen requires-python in pyproject.toml, run `uv lock`");
    expect(exec.calls.some((c) => c.command === "curl" || c.command.endsWith("/bin/uv"))).toBe(false);
  });

  it("reports an unparsable uv.lock before running anything but the Python probe", async () => {
    const exec = fakeTools();
    const ctx = buildContext({ ...FILES, "uv.lock": "version = 1\n[[package]\n" }, exec);
    const err = await build(ctx).catch((e: unknown) => e);
    expect((err as BuildpackError).title).toBe("uv.lock is not valid TOML");
    expect((err as BuildpackError).line).toBe(2);
    expect(exec.calls).toHaveLength(1);
  });
  it("builds the venv from the interpreter ml-buildpacks/python selected (ML_BUILDPACKS_PYTHON)", async () => {
    const cpython = "/layers/ml-buildpacks_python/cpython/bin/python3";
    const exec = fakeExec((call: ExecCall) => {
      if (call.command === cpython && call.args[0] === "-I") return { stdout: "3.12.11\n" };
      if (call.command === cpython && call.args[1] === "venv") {
        mkdirSync(join(call.args[call.args.length - 1] ?? "", "bin"), { recursive: true });
      }
      return {};
    });
    const ctx = buildContext(FILES, exec);
    writeFileSync(
      join(ctx.layersDir, "uv.toml"),
      stringifyToml({ metadata: uvToolKey("3.12.11", testTarget) }),
    );
    mkdirSync(join(ctx.layersDir, "uv", "bin"), { recursive: true });
    await build({ ...ctx, env: { ML_BUILDPACKS_PYTHON: cpython } });
    const venv = join(ctx.layersDir, "venv");
    expect(exec.calls[1]?.command).toBe(cpython);
    expect(exec.calls[1]?.args).toEqual(["-m", "venv", "--without-pip", venv]);
    expect(exec.calls[2]?.options.env).toMatchObject({ UV_PYTHON: cpython });
    expect(toml(`${venv}.toml`).metadata).toMatchObject({ python_version: "3.12.11" });
  });
});
