import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildpackError, Layers, nodeAppFiles, parseToml, stringifyToml } from "#libcnb";
import { type ExecCall, fakeExec } from "#libcnb/testing";
import { build } from "../src/build.js";
import { buildContext } from "./helpers.js";

const python3135 = fakeExec(() => ({ stdout: "3.13.5\n" }));

const TARBALL = "pretend tarball bytes";
const TARBALL_SHA = createHash("sha256").update(TARBALL).digest("hex");
const FILE = "cpython-3.11.2+20261128-x86_64-unknown-linux-gnu-install_only.tar.gz";

function testManifest(sha = TARBALL_SHA): string {
  return stringifyToml({
    python: { "3.11.2": { release: "20261128", amd64: { file: FILE, sha256: sha } } },
  });
}

/**
 * Stack python3 answers 3.13.5; curl "downloads" `served` to --output; tar "unpacks" bin/python3 into
 * -C; the installed interpreter answers `installed`.
 */
function fakeTools(opts: { served?: string; installed?: string; curlFails?: boolean } = {}) {
  return fakeExec((call: ExecCall) => {
    const { command, args } = call;
    if (command === "/usr/bin/python3") return { stdout: "3.13.5\n" };
    if (command === "curl") {
      if (opts.curlFails) return { code: 22, stderr: "curl: (22) The requested URL returned error: 404\n" };
      writeFileSync(args[args.indexOf("--output") + 1] ?? "", opts.served ?? TARBALL);
      return {};
    }
    if (command === "tar") {
      const dir = args[args.indexOf("-C") + 1] ?? "";
      mkdirSync(join(dir, "bin"), { recursive: true });
      writeFileSync(join(dir, "bin", "python3"), "#!/bin/sh\n");
      return {};
    }
    if (command.endsWith("/cpython/bin/python3")) return { stdout: `${opts.installed ?? "3.11.2"}\n` };
    return { code: 127, spawnError: `unexpected ${command}` };
  });
}

/** A context whose app pins 3.11 and uses the test manifest from the app dir and a local mirror. */
function downloadContext(exec = fakeTools(), files: Record<string, string> = {}) {
  const base = buildContext(
    { ".python-version": "3.11\n", "test-manifest.toml": testManifest(), ...files },
    exec,
  );
  return {
    ...base,
    env: { BP_PYTHON_MANIFEST: "test-manifest.toml", BP_PYTHON_MIRROR: "http://127.0.0.1:5481/" },
  };
}

/** The next build over the same app and layers dir (as the lifecycle restores it from the cache). */
function nextBuild(prev: ReturnType<typeof downloadContext>, exec = fakeTools()) {
  const ctx = downloadContext(exec);
  return {
    ...ctx,
    app: prev.app,
    appDir: prev.appDir,
    layersDir: prev.layersDir,
    layers: new Layers(prev.layersDir),
  };
}

function toml(path: string) {
  return parseToml(readFileSync(path, "utf8"));
}

describe("python build with the stack's Python", () => {
  it("finds the stack's version, writes the python layer env and a label", async () => {
    const ctx = buildContext({ "app.py": "" }, python3135);
    const result = await build(ctx);
    expect(python3135.calls[0]?.command).toBe("/usr/bin/python3");
    expect(result).toEqual({ labels: [{ key: "io.ml-buildpacks.python.version", value: "3.13.5" }] });
    const layer = join(ctx.layersDir, "python");
    expect(readFileSync(join(layer, "env.build", "ML_BUILDPACKS_PYTHON_VERSION.override"), "utf8")).toBe(
      "3.13.5",
    );
    expect(readFileSync(join(layer, "env.build", "ML_BUILDPACKS_PYTHON.override"), "utf8")).toBe(
      "/usr/bin/python3",
    );
    expect(readFileSync(join(layer, "env", "PYTHONUNBUFFERED.default"), "utf8")).toBe("1");
    expect(toml(`${layer}.toml`)).toEqual({
      types: { build: true, launch: true, cache: false },
      metadata: { python_version: "3.13.5" },
    });
    expect(existsSync(join(ctx.layersDir, "cpython.toml"))).toBe(false);
    expect(ctx.logger.text()).toContain("[Determining Python version]");
    expect(ctx.logger.text()).toContain("- No Python version requested (looked at .python-version,");
  });

  it.each([
    [
      { ".python-version": "system\n" },
      '- .python-version line 1 asks for "system": using the stack\'s Python 3.13.5',
    ],
    [
      { "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.10"\n' },
      '- The stack\'s Python 3.13.5 satisfies pyproject.toml line 3: [project] requires-python = ">=3.10": using it',
    ],
    [
      { "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.12"\n' },
      "- The stack's Python 3.13.5 satisfies pyproject.toml line 2: [tool.poetry.dependencies] python",
    ],
  ])("uses the stack for 'system' and for ranges it satisfies: %j", async (files, line) => {
    const exec = fakeTools();
    const ctx = buildContext(files, exec);
    await build(ctx);
    expect(ctx.logger.text()).toContain(line);
    expect(exec.calls.map((c) => c.command)).toEqual(["/usr/bin/python3"]);
    expect(ctx.logger.text()).not.toContain("Pin it for repeatable builds");
  });

  it("gives `python` on PATH: bin/python in the python build+launch layer points at the interpreter", async () => {
    const ctx = buildContext({ "app.py": "" }, python3135);
    await build(ctx);
    expect(readlinkSync(join(ctx.layersDir, "python", "bin", "python"))).toBe("/usr/bin/python3");
  });

  it("recommends a pin when nothing is requested", async () => {
    const ctx = buildContext({ "app.py": "" }, python3135);
    await build(ctx);
    expect(ctx.logger.text()).toContain('Pin it for repeatable builds: write "3.13" into .python-version');
  });

  it("refuses build env that breaks Python before running anything, naming the variable", async () => {
    const exec = fakeTools();
    const ctx = { ...buildContext({ "app.py": "" }, exec), platformEnv: { PYTHONHOME: "/opt/py" } };
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err.title).toBe("The build environment sets PYTHONHOME, which breaks Python builds");
    expect(err.body).toContain("--env");
    expect(exec.calls).toEqual([]);
  });

  it("fails on disagreeing constraints before running or installing anything else", async () => {
    const exec = fakeTools();
    const files = {
      ".python-version": "3.13\n",
      "pyproject.toml": '[project]\nname = "x"\nrequires-python = "3.11.*"\n',
    };
    const ctx = buildContext(files, exec);
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err.title).toBe("Python version requirements disagree: .python-version line 1 asks for 3.13");
    expect(err.body).toContain('pyproject.toml line 3: [project] requires-python = "3.11.*"');
    expect(err.body).toContain(
      "change .python-version line 1 to 3.11, or widen [project] requires-python in pyproject.toml line 3",
    );
    expect(exec.calls.some((c) => c.command === "curl")).toBe(false);
    expect(existsSync(join(ctx.layersDir, "python.toml"))).toBe(false);
  });

  it("reads runtime.txt with a deprecation warning pointing at .python-version", async () => {
    const ctx = downloadContext(fakeTools(), {});
    rmSync(join(ctx.appDir, ".python-version"));
    writeFileSync(join(ctx.appDir, "runtime.txt"), "python-3.11.2\n");
    const fresh = { ...ctx, app: nodeAppFiles(ctx.appDir) };
    await build(fresh);
    const log = ctx.logger.text();
    expect(log).toContain("! WARNING: runtime.txt is deprecated: pin the version in .python-version instead");
    expect(log).toContain('Write "3.11.2" into .python-version and delete runtime.txt');
    expect(log).toContain("- runtime.txt line 1 asks for Python 3.11.2: installing 3.11.2, that exact build");
  });

  it("explains a missing interpreter", async () => {
    const exec = fakeExec(() => ({ code: 127, spawnError: "spawn /usr/bin/python3 ENOENT" }));
    const err = await build(buildContext({ "app.py": "" }, exec)).catch((e: unknown) => e);
    expect((err as BuildpackError).title).toBe("Python was not found at /usr/bin/python3");
  });
});

describe("python build installing a CPython", () => {
  it("downloads from the mirror, verifies the pinned sha256, unpacks into a launch+cache layer", async () => {
    const exec = fakeTools();
    const ctx = downloadContext(exec);
    const result = await build(ctx);
    expect(result).toEqual({ labels: [{ key: "io.ml-buildpacks.python.version", value: "3.11.2" }] });
    const curl = exec.calls.find((c) => c.command === "curl");
    expect(curl?.args.at(-1)).toBe(
      "http://127.0.0.1:5481/20261128/cpython-3.11.2%2B20261128-x86_64-unknown-linux-gnu-install_only.tar.gz",
    );
    const cpython = join(ctx.layersDir, "cpython");
    // Restored layers get normalized mtimes: timestamp-checked .pyc files would be rewritten every build.
    const compile = exec.calls.find((c) => c.args.includes("compileall"));
    expect(compile?.args).toEqual(expect.arrayContaining(["--invalidation-mode", "unchecked-hash", "-f"]));
    expect(compile?.args.at(-1)).toBe(join(cpython, "lib", "python3.11"));
    expect(toml(`${cpython}.toml`)).toEqual({
      types: { build: true, launch: true, cache: true },
      metadata: {
        layer_version: 1,
        python_version: "3.11.2",
        arch: "amd64",
        sha256: TARBALL_SHA,
        distro_name: "debian",
        distro_version: "13",
      },
    });
    expect(existsSync(join(cpython, "bin", "python"))).toBe(true);
    const env = join(ctx.layersDir, "python", "env.build");
    expect(readFileSync(join(env, "ML_BUILDPACKS_PYTHON.override"), "utf8")).toBe(
      join(cpython, "bin", "python3"),
    );
    expect(readFileSync(join(env, "ML_BUILDPACKS_PYTHON_VERSION.override"), "utf8")).toBe("3.11.2");
    const log = ctx.logger.text();
    expect(log).toContain(
      "- .python-version line 1 asks for Python 3.11: installing 3.11.2, the newest 3.11 patch release this buildpack pins",
    );
    expect(readlinkSync(join(ctx.layersDir, "python", "bin", "python"))).toBe(
      join(cpython, "bin", "python3"),
    );
    expect(log).toContain("! WARNING: Using the Python manifest test-manifest.toml (BP_PYTHON_MANIFEST)");
    expect(log).toContain(`- Verified sha256 ${TARBALL_SHA.slice(0, 8)}… (pinned in test-manifest.toml)`);
  });

  it("reuses the cached layer when version, arch and sha256 match", async () => {
    const ctx = downloadContext();
    await build(ctx);
    const again = fakeTools();
    const second = nextBuild(ctx, again);
    await build(second);
    expect(again.calls.map((c) => c.command)).toEqual(["/usr/bin/python3"]);
    expect(second.logger.text()).toContain("- Reusing Python 3.11.2 from the build cache");
    expect(toml(join(ctx.layersDir, "cpython.toml")).types).toEqual({
      build: true,
      launch: true,
      cache: true,
    });
  });

  it("discards the cached layer when the pinned sha256 changed, saying why", async () => {
    const first = downloadContext();
    await build(first);
    const meta = toml(join(first.layersDir, "cpython.toml")).metadata as Record<string, unknown>;
    writeFileSync(
      join(first.layersDir, "cpython.toml"),
      stringifyToml({ metadata: { ...meta, sha256: "0".repeat(64) } }),
    );
    const exec = fakeTools();
    const ctx = nextBuild(first, exec);
    await build(ctx);
    expect(exec.calls.some((c) => c.command === "curl")).toBe(true);
    expect(ctx.logger.text()).toContain(
      `pinned tarball changed (sha256 00000000… -> ${TARBALL_SHA.slice(0, 8)}…)`,
    );
  });

  it("refuses a tarball whose sha256 differs from the pin: nothing unpacked, no layer written", async () => {
    const exec = fakeTools({ served: "something else" });
    const ctx = downloadContext(exec);
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err).toBeInstanceOf(BuildpackError);
    expect(err.title).toBe(`The downloaded ${FILE} does not match its pinned sha256`);
    expect(err.body).toContain(`expected sha256 ${TARBALL_SHA}`);
    expect(exec.calls.some((c) => c.command === "tar")).toBe(false);
    expect(existsSync(join(ctx.layersDir, "cpython.toml"))).toBe(false);
    expect(existsSync(join(ctx.layersDir, "python.toml"))).toBe(false);
  });

  it("explains a failed download with the URL and BP_PYTHON_MIRROR", async () => {
    const err = (await build(downloadContext(fakeTools({ curlFails: true }))).catch(
      (e: unknown) => e,
    )) as BuildpackError;
    expect(err.title).toBe("Could not download Python");
    expect(err.body).toContain("http://127.0.0.1:5481/20261128/");
    expect(err.body).toContain("BP_PYTHON_MIRROR");
  });

  it("checks the unpacked interpreter reports the pinned version", async () => {
    const err = (await build(downloadContext(fakeTools({ installed: "3.11.9" }))).catch(
      (e: unknown) => e,
    )) as BuildpackError;
    expect(err.title).toBe("The installed Python does not run as Python 3.11.2");
  });

  it("refuses a manifest URL: pins never come from a server", async () => {
    const ctx = { ...downloadContext(), env: { BP_PYTHON_MANIFEST: "http://127.0.0.1:5481/manifest.toml" } };
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err.title).toBe("BP_PYTHON_MANIFEST must be a file, not a URL");
  });
});

describe("python build installing PBS's full archive (.tar.zst: 3.10.0 has no install_only build)", () => {
  // A real zstd-compressed tar in the full layout: python/install/bin/python3 beside python/build/.
  const ARCHIVE = readFileSync(join(import.meta.dirname, "fixtures", "full-archive.tar.zst"));
  const NAME = "cpython-3.10.0-x86_64-unknown-linux-gnu-pgo+lto-20211017T1616.tar.zst";

  it("decompresses it without a zstd program and unpacks only python/install into the layer", async () => {
    const manifest = stringifyToml({
      python: {
        "3.10.0": {
          release: "20211017",
          amd64: { file: NAME, sha256: createHash("sha256").update(ARCHIVE).digest("hex") },
        },
      },
    });
    const exec = fakeExec((call: ExecCall) => {
      const { command, args } = call;
      if (command === "/usr/bin/python3") return { stdout: "3.13.5\n" };
      if (command === "curl") {
        writeFileSync(args[args.indexOf("--output") + 1] ?? "", ARCHIVE);
        return {};
      }
      if (command === "tar") {
        const r = spawnSync("tar", args, { encoding: "utf8" });
        return { code: r.status ?? 1, stderr: r.stderr };
      }
      if (command.endsWith("/cpython/bin/python3")) return { stdout: "3.10.0\n" };
      return {};
    });
    const base = buildContext({ ".python-version": "3.10.0\n", "m.toml": manifest }, exec);
    const ctx = { ...base, env: { BP_PYTHON_MANIFEST: "m.toml", BP_PYTHON_MIRROR: "http://127.0.0.1:5481" } };
    await build(ctx);
    const cpython = join(ctx.layersDir, "cpython");
    expect(readFileSync(join(cpython, "bin", "python3"), "utf8")).toContain("echo 3.10.0");
    expect(existsSync(join(cpython, "build"))).toBe(false);
    expect(existsSync(join(cpython, "install"))).toBe(false);
    expect(exec.calls.find((c) => c.command === "tar")?.args).toEqual(
      expect.arrayContaining(["--strip-components=2", "python/install"]),
    );
  });
});

describe("python build: versions it cannot serve", () => {
  it("rejects an end-of-life version with file, line and the supported versions", async () => {
    const ctx = buildContext({ ".python-version": "# legacy\n3.9\n" }, fakeTools());
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err.title).toBe("Python 3.9 is end-of-life and not supported");
    expect(err.file).toBe(".python-version");
    expect(err.line).toBe(2);
    expect(err.body).toMatch(
      /Supported versions for linux\/amd64: 3\.10 \(3\.10\.\d+ to 3\.10\.\d+\), 3\.11/,
    );
    expect(err.body).toContain("3.14 (3.14.0 to 3.14.");
    expect(existsSync(join(ctx.layersDir, "python.toml"))).toBe(false);
  });

  it.each(["3.15", "3.12.99"])("rejects the unknown version %s", async (v) => {
    const err = (await build(buildContext({ ".python-version": v }, fakeTools())).catch(
      (e: unknown) => e,
    )) as BuildpackError;
    expect(err.title).toBe(`No supported Python matches ${v}`);
    expect(err.body).toContain("Supported versions for linux/amd64: 3.10 (");
  });

  it("names pyproject.toml and its line for an unsatisfiable requires-python", async () => {
    const files = { "pyproject.toml": '[project]\nname = "x"\n\nrequires-python = "<3.10"\n' };
    const err = (await build(buildContext(files, fakeTools())).catch((e: unknown) => e)) as BuildpackError;
    expect(err.title).toBe("Python <3.10 is end-of-life and not supported");
    expect([err.file, err.line]).toEqual(["pyproject.toml", 4]);
    expect(err.body).toContain('allow a supported version in pyproject.toml line 4, e.g. ">=3.14"');
  });
});
