import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildpackError, parseToml, stringifyToml } from "#libcnb";
import { type ExecCall, fakeExec } from "#libcnb/testing";
import { sha256 } from "#pybuild/project-files";
import { expectVenvFromSelectedPython, stackPythonAnswer } from "#pybuild/testing";
import { build } from "../src/build.js";
import { buildContext } from "./helpers.js";

const PYPROJECT = '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["six"]\n';
const LOCK =
  '[[package]]\nname = "six"\nversion = "1.17.0"\n\n[metadata]\nlock-version = "2.1"\ncontent-hash = "ab"\n';
const FILES = { "pyproject.toml": PYPROJECT, "poetry.lock": LOCK };
const EXPORTED =
  'six==1.17.0 ; python_version >= "3.11" \\\n    --hash=sha256:4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274\n';

interface Opts {
  check?: { code: number; output: string };
  exportFails?: string;
  exported?: string[];
}

/** Stack Python + pip, a Poetry that checks and exports, and the pip install of the export. */
function fakeTools(opts: Opts = {}) {
  return fakeExec((call: ExecCall) => {
    const stack = stackPythonAnswer(call);
    if (stack) return stack;
    const { command, args } = call;
    if (command.endsWith("/bin/poetry")) {
      if (args[0] === "--version") return { stdout: "Poetry (version 2.5.1)\n" };
      if (args[0] === "check")
        return opts.check ? { code: opts.check.code, stdout: opts.check.output } : { stdout: "All set!\n" };
      if (args[0] === "export") {
        if (opts.exportFails) return { code: 1, stderr: opts.exportFails };
        const out = args[args.indexOf("--output") + 1] ?? "";
        writeFileSync(out, EXPORTED);
        opts.exported?.push(readFileSync(out, "utf8"));
        return {};
      }
    }
    if (command === "/usr/bin/python3" && args.includes("install"))
      return { stdout: "Successfully installed six-1.17.0\n" };
    return {};
  });
}

const toml = (path: string) => parseToml(readFileSync(path, "utf8"));

describe("poetry build", () => {
  it("installs Poetry hash-pinned, checks the lock, exports it and pip-installs it into the venv", async () => {
    const exported: string[] = [];
    const exec = fakeTools({ exported });
    const ctx = buildContext(FILES, exec);
    await build(ctx);

    const tool = join(ctx.layersDir, "poetry");
    const venv = join(ctx.layersDir, "venv");
    const lines = exec.calls.map((c) => [c.command, ...c.args].join(" "));
    expect(lines[0]).toMatch(/^\/usr\/bin\/python3 -I -c /);
    expect(lines[1]).toBe(`/usr/bin/python3 -m venv --without-pip ${tool}`);
    expect(lines[2]).toBe(
      `/usr/bin/python3 -m pip --python ${tool}/bin/python install --require-hashes --no-deps --only-binary :all: ` +
        `--no-cache-dir --no-input --progress-bar off --disable-pip-version-check --requirement ${ctx.buildpack.dir}/bin/tool-requirements.txt`,
    );
    expect(lines[3]).toBe(`${tool}/bin/poetry --version --no-ansi`);
    expect(lines[4]).toBe(`${tool}/bin/poetry check --lock --no-ansi`);
    expect(lines[5]).toBe(`/usr/bin/python3 -m venv --without-pip ${venv}`);
    expect(lines[6]).toMatch(
      new RegExp(
        `^${tool}/bin/poetry export --format requirements.txt --only main --output \\S+/requirements.txt --with-credentials --no-ansi$`,
      ),
    );
    expect(lines[7]).toMatch(
      new RegExp(
        `^/usr/bin/python3 -m pip --python ${venv}/bin/python install --require-hashes --no-deps --requirement `,
      ),
    );
    expect(lines).toHaveLength(9);
    expect(lines[8]).toBe(
      `${venv}/bin/python -I -W ignore -m compileall -q -f -j 0 --invalidation-mode unchecked-hash ${venv}/lib`,
    );
    expect(exported).toEqual([EXPORTED]);
    expect(exec.calls[4]?.options.env).toMatchObject({
      POETRY_VIRTUALENVS_CREATE: "false",
      VIRTUAL_ENV: undefined,
    });

    expect(toml(`${venv}.toml`)).toEqual({
      types: { build: false, launch: true, cache: false },
      metadata: {
        layer_version: 2,
        lock_sha256: sha256(LOCK),
        pyproject_sha256: sha256(PYPROJECT),
        groups: "main",
        python_version: "3.13.5",
        pip_version: "25.1.1",
        poetry_version: "2.5.1",
        arch: "amd64",
        distro_name: "debian",
        distro_version: "13",
      },
    });
    expect(toml(`${tool}.toml`)).toMatchObject({
      types: { build: false, launch: false, cache: true },
      metadata: { layer_version: 2, tool_version: "2.5.1", python_version: "3.13.5", arch: "amd64" },
    });
    expect(toml(join(ctx.layersDir, "pip-cache.toml"))).toMatchObject({
      types: { cache: true, launch: false },
    });
    const log = ctx.logger.text();
    expect(log).toContain("- poetry.lock (lock format 2.1): 1 packages; installing the groups main\n");
    expect(log).toContain("- Installing Poetry 2.5.1 (hash-pinned) ...");
    expect(log).toContain("      Successfully installed six-1.17.0");
  });

  it("reuses the venv when nothing changed, running nothing but the probe", async () => {
    const exec = fakeTools();
    const first = buildContext(FILES, exec);
    await build(first);
    const venvMeta = toml(join(first.layersDir, "venv.toml")).metadata;
    const toolMeta = toml(join(first.layersDir, "poetry.toml")).metadata;

    const ctx = buildContext(FILES, exec);
    writeFileSync(join(ctx.layersDir, "venv.toml"), stringifyToml({ metadata: venvMeta }));
    writeFileSync(join(ctx.layersDir, "poetry.toml"), stringifyToml({ metadata: toolMeta }));
    mkdirSync(join(ctx.layersDir, "poetry", "bin"), { recursive: true });
    exec.calls.length = 0;
    await build(ctx);
    expect(exec.calls).toHaveLength(1);
    expect(existsSync(join(ctx.layersDir, "venv"))).toBe(false);
    expect(toml(join(ctx.layersDir, "venv.toml"))).toEqual({
      types: { build: false, launch: true, cache: false },
      metadata: venvMeta,
    });
    expect(toml(join(ctx.layersDir, "poetry.toml"))).toMatchObject({ types: { cache: true } });
    expect(ctx.logger.text()).toContain(
      "- Reusing virtual environment (poetry.lock and pyproject.toml unchanged)",
    );
  });

  it("uses a cached Poetry and rebuilds the venv for BP_POETRY_GROUPS, saying why", async () => {
    const exec = fakeTools();
    const first = buildContext(FILES, exec);
    await build(first);
    const venvMeta = toml(join(first.layersDir, "venv.toml")).metadata;
    const toolMeta = toml(join(first.layersDir, "poetry.toml")).metadata;

    const ctx = buildContext(FILES, exec);
    writeFileSync(join(ctx.layersDir, "venv.toml"), stringifyToml({ metadata: venvMeta }));
    writeFileSync(join(ctx.layersDir, "poetry.toml"), stringifyToml({ metadata: toolMeta }));
    mkdirSync(join(ctx.layersDir, "poetry", "bin"), { recursive: true });
    exec.calls.length = 0;
    await build({ ...ctx, env: { BP_POETRY_GROUPS: "main,dev" } });
    const log = ctx.logger.text();
    expect(log).toContain("  groups main -> dev,main");
    expect(log).toContain("- Using cached Poetry 2.5.1");
    expect(log).toContain("installing the groups dev, main (BP_POETRY_GROUPS)");
    expect(
      exec.calls.some((c) => c.args.join(" ").includes("export --format requirements.txt --only dev,main")),
    ).toBe(true);
    expect(exec.calls.some((c) => c.args.includes("--only-binary"))).toBe(false);
  });

  it("fails with 'out of date' when poetry check --lock says pyproject.toml changed", async () => {
    const output =
      "Error: pyproject.toml changed significantly since poetry.lock was last generated. Run `poetry lock` to fix the lock file.\n";
    const ctx = buildContext(FILES, fakeTools({ check: { code: 1, output } }));
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err).toBeInstanceOf(BuildpackError);
    expect(err.title).toBe("poetry.lock is out of date with pyproject.toml");
    expect(err.file).toBe("poetry.lock");
    expect(err.body).toContain("changed significantly");
    expect(err.body).toContain("Run `poetry lock`, commit poetry.lock, and build again.");
    expect(existsSync(join(ctx.layersDir, "venv.toml"))).toBe(false);
  });

  it('refuses python = "^3.14" on Python 3.13 before installing anything, naming the lines', async () => {
    const pyproject = `${PYPROJECT}\n[tool.poetry.dependencies]\npython = "^3.14"\n`;
    const lock = LOCK.replace("[metadata]\n", '[metadata]\npython-versions = "^3.14"\n');
    const exec = fakeTools();
    const ctx = buildContext({ "pyproject.toml": pyproject, "poetry.lock": lock }, exec);
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err).toBeInstanceOf(BuildpackError);
    expect(err.title).toBe(
      'Python 3.13.5 does not satisfy pyproject.toml\'s [tool.poetry.dependencies] python = "^3.14"',
    );
    expect(err.file).toBe("pyproject.toml");
    expect(err.line).toBe(7);
    expect(err.body).toContain('  pyproject.toml:7  [tool.poetry.dependencies] python = "^3.14"');
    expect(err.body).toContain('  poetry.lock:6     [metadata] python-versions = "^3.14"');
    expect(err.body).toContain(".python-version");
    expect(err.body).toContain("run `poetry lock`");
    // Only the Python probe ran: no Poetry, no venv, no pip.
    expect(exec.calls.every((c) => c.command === "/usr/bin/python3" && c.args[0] === "-I")).toBe(true);
  });

  it("builds when the Python is inside requires-python and the lock's python-versions", async () => {
    const pyproject = PYPROJECT.replace("[project]\n", '[project]\nrequires-python = ">=3.11"\n');
    const lock = LOCK.replace("[metadata]\n", '[metadata]\npython-versions = ">=3.11"\n');
    await build(buildContext({ "pyproject.toml": pyproject, "poetry.lock": lock }, fakeTools()));
  });

  it("reports other poetry check problems as they are", async () => {
    const ctx = buildContext(
      FILES,
      fakeTools({ check: { code: 1, output: "Error: project.name is required\n" } }),
    );
    await expect(build(ctx)).rejects.toThrow("Poetry found problems in pyproject.toml or poetry.lock");
  });

  it("names a group pyproject.toml doesn't define", async () => {
    const ctx = buildContext(FILES, fakeTools({ exportFails: "Group(s) not found: gpu (via --only)\n" }));
    const err = (await build({ ...ctx, env: { BP_POETRY_GROUPS: "main gpu" } }).catch(
      (e: unknown) => e,
    )) as BuildpackError;
    expect(err.title).toBe("BP_POETRY_GROUPS names a group pyproject.toml doesn't define: gpu, main");
  });
  it("builds the venv from the interpreter ml-buildpacks/python selected; the tool stays on the stack's", async () => {
    await expectVenvFromSelectedPython(build, buildContext, FILES, fakeTools(), "poetry");
  });
});
