import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildpackError, parseToml, stringifyToml } from "#libcnb";
import { type ExecCall, fakeExec } from "#libcnb/testing";
import { buildContextFor, PYTHON_PLAN } from "#pybuild/testing";
import { build } from "../src/build.js";
import { sha256 } from "../src/requirements.js";

const buildContext = buildContextFor(import.meta.dirname, PYTHON_PLAN);

const REQS = "six==1.17.0\n";

/** A fake Python: answers the probe, "creates" the venv, and runs pip (optionally failing). */
function fakePython(opts: { pip?: string | null; pipFails?: boolean } = {}) {
  return fakeExec((call: ExecCall) => {
    const { args } = call;
    if (args[0] === "-I") {
      return {
        stdout: JSON.stringify({ python: "3.13.5", pip: opts.pip === undefined ? "25.1.1" : opts.pip }),
      };
    }
    if (args[1] === "venv") {
      const dir = args[args.length - 1] ?? "";
      mkdirSync(join(dir, "bin"), { recursive: true });
      writeFileSync(join(dir, "pyvenv.cfg"), "home = /usr/bin\n");
      return {};
    }
    if (args.includes("install")) {
      if (opts.pipFails) {
        return {
          code: 1,
          stderr: "ERROR: Could not find a version that satisfies the requirement six==99\n",
        };
      }
      return { stdout: "Collecting six==1.17.0\nSuccessfully installed six-1.17.0\n" };
    }
    return {};
  });
}

function restoredKey(overrides: Record<string, unknown> = {}) {
  return {
    layer_version: 3,
    source: "requirements.txt",
    source_sha256: sha256(REQS),
    included_sha256: "",
    python_version: "3.13.5",
    pip_version: "25.1.1",
    arch: "amd64",
    distro_name: "debian",
    distro_version: "13",
    ...overrides,
  };
}

function toml(path: string) {
  return parseToml(readFileSync(path, "utf8"));
}

describe("pip build", () => {
  it("records the app files it read; a local-path install makes it depend on the whole app", async () => {
    const plain = buildContext({ "requirements.txt": REQS }, fakePython());
    await build(plain);
    expect(plain.appReads.reads("p")).toEqual({ buildpack: "p", files: ["requirements.txt"] });
    const local = buildContext({ "requirements.txt": `${REQS}-e ./libs/core\n` }, fakePython());
    await build(local);
    expect(local.appReads.reads("p").wholeApp).toBe("requirements.txt:2 installs -e ./libs/core");
  });

  it("creates a venv without pip, installs with the system pip into it, and caches downloads", async () => {
    const exec = fakePython();
    const ctx = buildContext({ "requirements.txt": REQS }, exec);
    await build(ctx);

    const venv = join(ctx.layersDir, "venv");
    const cache = join(ctx.layersDir, "pip-cache");
    expect(exec.calls.map((c) => [c.command, ...c.args].join(" "))).toEqual([
      expect.stringMatching(/^\/usr\/bin\/python3 -I -c /),
      `/usr/bin/python3 -m venv --without-pip ${venv}`,
      `/usr/bin/python3 -m pip --python ${venv}/bin/python install --requirement requirements.txt --cache-dir ${cache} --no-input --no-compile --progress-bar off --disable-pip-version-check`,
      `${venv}/bin/python -I -W ignore -m compileall -q -f -j 0 --invalidation-mode unchecked-hash ${venv}/lib`,
    ]);
    expect(exec.calls[2]?.options.cwd).toBe(ctx.appDir);
    expect(exec.calls[2]?.options.env).toMatchObject({
      PIP_DISABLE_PIP_VERSION_CHECK: "1",
      PIP_USER: undefined,
    });

    expect(toml(`${venv}.toml`)).toEqual({
      types: { build: false, launch: true, cache: false },
      metadata: restoredKey(),
    });
    expect(readFileSync(join(venv, "env.launch", "VIRTUAL_ENV.override"), "utf8")).toBe(venv);
    const launchDefault = (name: string) => readFileSync(join(venv, "env.launch", `${name}.default`), "utf8");
    expect(launchDefault("PIP_DISABLE_PIP_VERSION_CHECK")).toBe("1");
    expect(launchDefault("PYTHONUNBUFFERED")).toBe("1");
    expect(exec.calls[1]?.options.env).toMatchObject({ PIP_USER: undefined, VIRTUAL_ENV: undefined });
    expect(toml(`${cache}.toml`)).toMatchObject({ types: { build: false, launch: false, cache: true } });

    const log = ctx.logger.text();
    expect(log).toContain("[Installing requirements]");
    expect(log).toContain("- Python 3.13.5, pip 25.1.1, linux/amd64 (debian 13)");
    expect(log).toContain("- Creating virtual environment ... (0.1s)");
    expect(log).toContain("- Running pip install --requirement requirements.txt");
    expect(log).toContain("      Successfully installed six-1.17.0\n");
    expect(log).toMatch(/ {2}Done \(\d+\.\ds\)/);
  });

  it("reuses the previous image's venv when the key is unchanged: rewrites only venv.toml", async () => {
    const exec = fakePython();
    const ctx = buildContext({ "requirements.txt": REQS }, exec);
    // What the lifecycle restores: [metadata] only, no [types], no layer contents.
    writeFileSync(join(ctx.layersDir, "venv.toml"), stringifyToml({ metadata: restoredKey() }));
    const cacheMeta = { layer_version: 1, python_version: "3.13.5", pip_version: "25.1.1", arch: "amd64" };
    writeFileSync(
      join(ctx.layersDir, "pip-cache.toml"),
      stringifyToml({ metadata: { ...cacheMeta, distro_name: "debian", distro_version: "13" } }),
    );
    mkdirSync(join(ctx.layersDir, "pip-cache", "http"), { recursive: true });

    await build(ctx);

    expect(exec.calls).toHaveLength(1); // the probe only
    expect(existsSync(join(ctx.layersDir, "venv"))).toBe(false);
    expect(toml(join(ctx.layersDir, "venv.toml"))).toEqual({
      types: { build: false, launch: true, cache: false },
      metadata: restoredKey(),
    });
    expect(toml(join(ctx.layersDir, "pip-cache.toml"))).toMatchObject({ types: { cache: true } });
    expect(ctx.logger.text()).toContain("- Reusing virtual environment (requirements.txt unchanged)");
  });

  it("discards and rebuilds the venv when the key changed, saying why", async () => {
    const exec = fakePython();
    const ctx = buildContext({ "requirements.txt": REQS }, exec);
    writeFileSync(
      join(ctx.layersDir, "venv.toml"),
      stringifyToml({
        metadata: restoredKey({ source_sha256: "ab".repeat(32), python_version: "3.13.4" }),
      }),
    );
    await build(ctx);
    const log = ctx.logger.text();
    expect(log).toContain("- Discarding the virtual environment from the previous image:");
    expect(log).toContain(`  requirements.txt changed (sha256 abababab… -> ${sha256(REQS).slice(0, 8)}…)`);
    expect(log).toContain("  Python 3.13.4 -> 3.13.5");
    expect(exec.calls.some((c) => c.args.includes("install"))).toBe(true);
    expect(toml(join(ctx.layersDir, "venv.toml")).metadata).toEqual(restoredKey());
  });

  it("clears a pip cache made for another Python", async () => {
    const ctx = buildContext({ "requirements.txt": REQS }, fakePython());
    writeFileSync(
      join(ctx.layersDir, "pip-cache.toml"),
      stringifyToml({ metadata: { layer_version: 1, python_version: "3.12.1" } }),
    );
    mkdirSync(join(ctx.layersDir, "pip-cache", "wheels"), { recursive: true });
    await build(ctx);
    expect(ctx.logger.text()).toContain("- Clearing the pip download cache:\n  Python 3.12.1 -> 3.13.5\n");
    expect(existsSync(join(ctx.layersDir, "pip-cache", "wheels"))).toBe(false);
  });

  it("streams pip's output and fails with a BuildpackError when pip fails", async () => {
    const ctx = buildContext({ "requirements.txt": "six==99\n" }, fakePython({ pipFails: true }));
    const err = await build(ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildpackError);
    expect((err as BuildpackError).title).toBe("pip could not install requirements.txt");
    expect((err as BuildpackError).body).toContain("no wheel for Python 3.13.5 on linux/amd64");
    expect(ctx.logger.text()).toContain(
      "      ERROR: Could not find a version that satisfies the requirement six==99",
    );
    expect(ctx.logger.text()).toMatch(/Failed after/);
    expect(existsSync(join(ctx.layersDir, "venv.toml"))).toBe(false);
  });

  it("adds advice for TLS certificate failures", async () => {
    const exec = fakeExec((call) =>
      call.args[0] === "-I"
        ? { stdout: '{"python": "3.13.5", "pip": "25.1.1"}' }
        : call.args.includes("install")
          ? { code: 1, stderr: "SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED]'))\n" }
          : {},
    );
    const err = await build(buildContext({ "requirements.txt": REQS }, exec)).catch((e: unknown) => e);
    expect((err as BuildpackError).body).toContain("set PIP_CERT=/path/to/ca.pem");
  });

  it("uses the venv's own pip from ensurepip when the system has no usable pip, then removes it", async () => {
    const exec = fakePython({ pip: null });
    const ctx = buildContext({ "requirements.txt": REQS }, exec);
    await build(ctx);
    const venv = join(ctx.layersDir, "venv");
    const lines = exec.calls.map((c) => [c.command, ...c.args].join(" "));
    expect(lines[1]).toBe(`/usr/bin/python3 -m venv ${venv}`);
    expect(lines[2]).toMatch(new RegExp(`^${venv}/bin/python -m pip install --requirement requirements.txt`));
    expect(lines[3]).toBe(`${venv}/bin/python -m pip uninstall --yes --quiet pip`);
    expect(toml(`${venv}.toml`).metadata).toMatchObject({ pip_version: "ensurepip" });
  });

  it("says what to install when the venv has no ensurepip either", async () => {
    const exec = fakeExec((call) =>
      call.args[0] === "-I"
        ? { stdout: '{"python": "3.13.5", "pip": null}' }
        : { code: 1, stderr: "Error: Command '['/layers/venv/bin/python', '-m', 'ensurepip']' returned 1\n" },
    );
    const err = (await build(buildContext({ "requirements.txt": REQS }, exec)).catch(
      (e) => e,
    )) as BuildpackError;
    expect(err.title).toBe("Could not create the virtual environment");
    expect(err.body).toContain("Install python3-pip and python3-venv in the stack's build image.");
  });

  it("installs an app with only pyproject.toml as a package: pip install . (not editable), never reused", async () => {
    const pyproject =
      '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "hello"\nversion = "1"\n';
    const exec = fakePython();
    const ctx = buildContext({ "pyproject.toml": pyproject }, exec);
    await build(ctx);
    const venv = join(ctx.layersDir, "venv");
    const install = exec.calls.find((c) => c.args.includes("install"));
    expect(install?.args.slice(0, 6)).toEqual([
      "-m",
      "pip",
      "--python",
      `${venv}/bin/python`,
      "install",
      ".",
    ]);
    expect(install?.args).not.toContain("--editable");
    const log = ctx.logger.text();
    expect(log).toContain(
      "- No requirements.txt or lockfile: installing the app from pyproject.toml, built by hatchling.build",
    );
    expect(log).toContain("- Running pip install .");
    expect(ctx.appReads.reads("p").wholeApp).toBe("pip install . builds the app's package from the app dir");
    expect(toml(`${venv}.toml`).metadata).toMatchObject({ source: "pyproject.toml" });
  });

  it("fails before running pip when pyproject.toml is not a package", async () => {
    const exec = fakePython();
    const ctx = buildContext({ "pyproject.toml": "[tool.ruff]\n" }, exec);
    const err = await build(ctx).catch((e: unknown) => e);
    expect((err as BuildpackError).title).toContain(
      "pyproject.toml has neither [build-system] nor [project]",
    );
    expect(exec.calls.some((c) => c.args.includes("install"))).toBe(false);
  });

  it("says when requirements.txt pins hashes, and names the package whose download does not match", async () => {
    const req = `tabulate==0.9.0 --hash=sha256:${"0".repeat(64)}\n`;
    const exec = fakeExec((call) =>
      call.args[0] === "-I"
        ? { stdout: '{"python": "3.13.5", "pip": "25.1.1"}' }
        : call.args.includes("install")
          ? {
              code: 1,
              stderr:
                "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes. Otherwise, examine the package contents carefully; someone may have tampered with them.\n" +
                "    tabulate==0.9.0 from https://files.pythonhosted.org/packages/40/44/tabulate-0.9.0-py3-none-any.whl (from -r requirements.txt (line 1)):\n" +
                `        Expected sha256 ${"0".repeat(64)}\n` +
                "             Got        024ca478df22e9340661486f85298cff5f6dcdba14f3813e8830015b9ed1948f\n",
            }
          : {},
    );
    const ctx = buildContext({ "requirements.txt": req }, exec);
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(ctx.logger.text()).toContain(
      "- requirements.txt pins --hash values: pip checks every download against them",
    );
    expect(err.title).toBe("pip's hash check failed for requirements.txt: tabulate==0.9.0");
    expect(err.file).toBe("requirements.txt");
    expect(err.body).toContain("update their --hash values in requirements.txt");
    // Nothing of ours turns hash checking off or around.
    const install = exec.calls.find((c) => c.args.includes("install"))?.args ?? [];
    for (const flag of ["--no-deps", "--constraint", "-c", "--no-binary", "--only-binary", "--no-index"])
      expect(install).not.toContain(flag);
  });

  it("keeps a Django app's venv in the cache, so the next build has it on disk for collectstatic", async () => {
    const files = { "requirements.txt": REQS, "manage.py": "" };
    const first = buildContext(files, fakePython());
    await build(first);
    expect(toml(join(first.layersDir, "venv.toml")).types).toEqual({
      build: false,
      launch: true,
      cache: true,
    });

    // The next build restored only the metadata (an image built before): rebuild once, saying why.
    const again = buildContext(files, fakePython());
    writeFileSync(join(again.layersDir, "venv.toml"), stringifyToml({ metadata: restoredKey() }));
    await build(again);
    expect(again.logger.text()).toContain(
      "manage.py: Django's collectstatic needs the virtual environment during the build, and the previous one is only in the image",
    );

    // Restored from the cache with its contents: reused.
    const cached = buildContext(files, fakePython());
    writeFileSync(join(cached.layersDir, "venv.toml"), stringifyToml({ metadata: restoredKey() }));
    mkdirSync(join(cached.layersDir, "venv", "bin"), { recursive: true });
    await build(cached);
    expect(cached.logger.text()).toContain("- Reusing virtual environment (requirements.txt unchanged)");
    expect(toml(join(cached.layersDir, "venv.toml")).types).toEqual({
      build: false,
      launch: true,
      cache: true,
    });
  });
});
