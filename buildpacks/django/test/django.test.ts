import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildpackError, type DetectContext } from "#libcnb";
import { type ExecCall, fakeExec, memoryAppFiles, testTarget } from "#libcnb/testing";
import { build } from "../src/build.js";
import { detect } from "../src/detect.js";
import { parseDisable } from "../src/settings.js";
import { findVenv } from "../src/venv.js";
import { buildContext } from "./helpers.js";

const STATIC_ROOT_ERROR =
  "django.core.exceptions.ImproperlyConfigured: You're using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path.\n";

/** A venv in another buildpack's layers dir, next to this buildpack's. */
function installerVenv(layersDir: string, installer = "ml-buildpacks_uv"): string {
  const dir = join(dirname(layersDir), installer, "venv");
  mkdirSync(join(dir, "bin"), { recursive: true });
  writeFileSync(join(dir, "pyvenv.cfg"), "home = /usr/bin\n");
  writeFileSync(join(dir, "bin", "python"), "");
  return dir;
}

/** A fake venv python: Django 5.2.8 with staticfiles unless told otherwise. */
function fakeDjango(
  opts: { installed?: boolean; staticfiles?: boolean; help?: string; collect?: string } = {},
) {
  return fakeExec((call: ExecCall) => {
    if (call.args[0] === "-I") return opts.installed === false ? { code: 3 } : { stdout: "5.2.8\n" };
    if (call.args[1] === "help") {
      if (opts.help) return { code: 1, stderr: opts.help };
      return opts.staticfiles === false
        ? { code: 1, stderr: "Unknown command: 'collectstatic'\nType 'manage.py help' for usage.\n" }
        : { stdout: "usage: manage.py collectstatic [-h] [--noinput] ...\n" };
    }
    if (call.args[1] === "collectstatic") {
      return opts.collect
        ? { code: 1, stderr: `Traceback (most recent call last):\n${opts.collect}` }
        : { stdout: "127 static files copied to '/workspace/staticfiles'.\n" };
    }
    return {};
  });
}

function detectContext(files: Record<string, string>): DetectContext {
  return {
    appDir: "/workspace",
    app: memoryAppFiles(files),
    platformDir: "/platform",
    platformEnv: {},
    buildpack: {
      dir: "/cnb/buildpacks/x",
      api: "0.10",
      id: "ml-buildpacks/django",
      version: "0.1.0",
      name: "x",
    },
    target: testTarget,
    env: {},
    exec: async () => {
      throw new Error("detect must not run tools");
    },
  };
}

describe("django detect", () => {
  it("passes with manage.py, planning nothing", () => {
    expect(detect(detectContext({ "manage.py": "" }))).toEqual({ pass: true, plan: {} });
  });
  it("fails without manage.py", () => {
    expect(detect(detectContext({ "app.py": "" }))).toEqual({
      pass: false,
      reasons: ["looked for manage.py in the app: none found"],
    });
  });
});

describe("parseDisable", () => {
  it.each([
    ["true", true],
    [" TRUE\n", true],
    ["1", true],
    ["false", false],
    ["", false],
    [undefined, false],
    ["maybe", undefined],
  ])("%j -> %s", (value, expected) => {
    expect(parseDisable(value)).toBe(expected);
  });
});

describe("findVenv", () => {
  it("finds an installer's venv on disk, or says that its venv is only in the previous image", () => {
    const ctx = buildContext({ "manage.py": "" });
    const root = dirname(ctx.layersDir);
    expect(findVenv(root)).toEqual({ kind: "none" });
    mkdirSync(join(root, "ml-buildpacks_poetry"));
    writeFileSync(join(root, "ml-buildpacks_poetry", "venv.toml"), "[metadata]\n");
    expect(findVenv(root)).toEqual({ kind: "not-on-disk", installer: "ml-buildpacks/poetry" });
    const dir = installerVenv(ctx.layersDir, "ml-buildpacks_poetry");
    expect(findVenv(root)).toEqual({
      kind: "found",
      dir,
      python: join(dir, "bin", "python"),
      installer: "ml-buildpacks/poetry",
    });
  });
});

describe("django build", () => {
  it("runs collectstatic --noinput with the installer's venv, in the app dir, streaming its output", async () => {
    const exec = fakeDjango();
    const ctx = buildContext({ "manage.py": "" }, exec);
    const venv = installerVenv(ctx.layersDir);
    await build(ctx);
    expect(exec.calls.map((c) => [c.command, ...c.args].join(" "))).toEqual([
      expect.stringMatching(new RegExp(`^${venv}/bin/python -I -c import importlib`)),
      `${venv}/bin/python manage.py help collectstatic`,
      `${venv}/bin/python manage.py collectstatic --noinput`,
    ]);
    expect(exec.calls[2]?.options.cwd).toBe(ctx.appDir);
    expect(exec.calls[2]?.options.env).toMatchObject({
      VIRTUAL_ENV: venv,
      PATH: expect.stringMatching(`^${venv}/bin:`),
    });
    const log = ctx.logger.text();
    expect(log).toContain("- Django 5.2.8 in the virtual environment of ml-buildpacks/uv");
    expect(log).toContain("- Running python manage.py collectstatic --noinput");
    expect(log).toContain("127 static files copied to '/workspace/staticfiles'.");
  });

  it("fails on a collectstatic error, showing its output, with the STATIC_ROOT hint and the opt-out", async () => {
    const ctx = buildContext({ "manage.py": "" }, fakeDjango({ collect: STATIC_ROOT_ERROR }));
    installerVenv(ctx.layersDir);
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err).toBeInstanceOf(BuildpackError);
    expect(err.title).toBe("Django's collectstatic failed");
    expect(err.body).toContain("`python manage.py collectstatic --noinput` exited with status 1");
    expect(err.body).toContain(
      "  django.core.exceptions.ImproperlyConfigured: You're using the staticfiles app",
    );
    expect(err.body).toContain('  STATIC_ROOT = BASE_DIR / "staticfiles"');
    expect(err.body).toContain("set BP_DISABLE_COLLECTSTATIC=true");
  });

  it("skips when staticfiles is not installed, or Django is not", async () => {
    const a = buildContext({ "manage.py": "" }, fakeDjango({ staticfiles: false }));
    installerVenv(a.layersDir);
    await build(a);
    expect(a.logger.text()).toContain("django.contrib.staticfiles is not in INSTALLED_APPS");
    const b = buildContext({ "manage.py": "" }, fakeDjango({ installed: false }));
    installerVenv(b.layersDir);
    await build(b);
    expect(b.logger.text()).toContain("Django is not installed in the virtual environment");
  });

  it("reports settings that fail to load", async () => {
    const exec = fakeDjango({ help: "KeyError: 'SECRET_KEY'\n" });
    const ctx = buildContext({ "manage.py": "" }, exec);
    installerVenv(ctx.layersDir);
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err.title).toBe("Django could not load the app's settings during the build");
    expect(err.body).toContain("  KeyError: 'SECRET_KEY'");
    expect(err.body).toContain("without your run-time environment");
    expect(exec.calls).toHaveLength(2);
  });

  it("is turned off with BP_DISABLE_COLLECTSTATIC=true, and refuses other values", async () => {
    const exec = fakeDjango();
    const ctx = buildContext({ "manage.py": "" }, exec);
    installerVenv(ctx.layersDir);
    await build({ ...ctx, platformEnv: { BP_DISABLE_COLLECTSTATIC: "true" } });
    expect(exec.calls).toHaveLength(0);
    expect(ctx.logger.text()).toContain("- Skipping collectstatic: BP_DISABLE_COLLECTSTATIC=true");
    const err = (await build({ ...ctx, platformEnv: { BP_DISABLE_COLLECTSTATIC: "maybe" } }).catch(
      (e: unknown) => e,
    )) as BuildpackError;
    expect(err.title).toBe('BP_DISABLE_COLLECTSTATIC must be true or false, not "maybe"');
  });

  it("does nothing without a venv, and fails when the installer's venv is not on disk", async () => {
    const ctx = buildContext({ "manage.py": "" }, fakeDjango());
    await build(ctx);
    expect(ctx.logger.text()).toContain("no installer built a virtual environment");
    const root = dirname(ctx.layersDir);
    mkdirSync(join(root, "ml-buildpacks_pipenv"));
    writeFileSync(join(root, "ml-buildpacks_pipenv", "venv.toml"), "[metadata]\n");
    const err = (await build(ctx).catch((e: unknown) => e)) as BuildpackError;
    expect(err.title).toBe("The app's virtual environment is not available to run collectstatic");
    expect(err.body).toContain("ml-buildpacks/pipenv reused");
  });
});
