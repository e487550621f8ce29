import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appReadsFromLabels } from "../../../src/labels/app-reads.js";
import { BuildpackError } from "../../../src/libcnb/errors.js";
import { fail, pass } from "../../../src/libcnb/plan.js";
import { type Runtime, run, runBuild, runDetect } from "../../../src/libcnb/run.js";
import { fakeExec, steppingClock } from "../../../src/libcnb/testing.js";
import { parseToml } from "../../../src/libcnb/toml.js";
import { tempDir } from "./helpers.js";

function setup() {
  const root = tempDir();
  const bpDir = join(root, "bp");
  const platform = join(root, "platform");
  const app = join(root, "app");
  const layers = join(root, "layers");
  for (const d of [bpDir, join(platform, "env"), app, layers]) mkdirSync(d, { recursive: true });
  writeFileSync(
    join(bpDir, "buildpack.toml"),
    'api = "0.10"\n[buildpack]\nid = "test/bp"\nversion = "1.2.3"\nname = "Test"\n',
  );
  writeFileSync(join(platform, "env", "PIP_INDEX_URL"), "http://127.0.0.1:3141/simple");
  let stdout = "";
  let stderr = "";
  const rt = (phase: string, env: Record<string, string>): Runtime => ({
    argv: ["node", join(bpDir, "bin", "main.mjs"), phase],
    env: {
      CNB_BUILDPACK_DIR: bpDir,
      CNB_PLATFORM_DIR: platform,
      CNB_TARGET_OS: "linux",
      CNB_TARGET_ARCH: "arm64",
      ...env,
    },
    cwd: app,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    exec: fakeExec(),
    clock: steppingClock(100),
  });
  return { root, app, layers, rt, out: () => stdout, err: () => stderr };
}

describe("runDetect", () => {
  it("passes: writes the plan and exits 0 with a context built from env and files", async () => {
    const s = setup();
    const planPath = join(s.root, "plan.toml");
    writeFileSync(planPath, "");
    const code = await runDetect(
      (ctx) => {
        expect(ctx.buildpack).toMatchObject({ id: "test/bp", version: "1.2.3", name: "Test", api: "0.10" });
        expect(ctx.platformEnv).toEqual({ PIP_INDEX_URL: "http://127.0.0.1:3141/simple" });
        expect(ctx.target).toMatchObject({ os: "linux", arch: "arm64", distroName: "" });
        expect(ctx.appDir).toBe(s.app);
        return pass({ provides: [{ name: "python" }], requires: [{ name: "python" }] });
      },
      s.rt("detect", { CNB_BUILD_PLAN_PATH: planPath }),
    );
    expect(code).toBe(0);
    expect(parseToml(readFileSync(planPath, "utf8"))).toEqual({
      provides: [{ name: "python" }],
      requires: [{ name: "python" }],
    });
  });

  it("fails: prints the reasons and exits 100", async () => {
    const s = setup();
    const code = await runDetect(
      () => fail("looked for requirements.txt in the app: none found"),
      s.rt("detect", { CNB_BUILD_PLAN_PATH: join(s.root, "plan.toml") }),
    );
    expect(code).toBe(100);
    expect(s.out()).toBe("looked for requirements.txt in the app: none found\n");
  });

  it("errors: renders the error and exits 1", async () => {
    const s = setup();
    const code = await runDetect(
      () => {
        throw new BuildpackError({ title: "bad project.toml", body: "fix it" });
      },
      s.rt("detect", { CNB_BUILD_PLAN_PATH: join(s.root, "plan.toml") }),
    );
    expect(code).toBe(1);
    expect(s.err()).toContain("! ERROR: bad project.toml");
  });

  it("takes the platform dir and plan path from positional arguments when env lacks them", async () => {
    const s = setup();
    const planPath = join(s.root, "plan.toml");
    const rt = s.rt("detect", {});
    const env = { ...rt.env, CNB_PLATFORM_DIR: "" };
    const code = await runDetect(() => pass({ requires: [{ name: "x" }] }), {
      ...rt,
      env,
      argv: [...rt.argv, join(s.root, "platform"), planPath],
    });
    expect(code).toBe(0);
    expect(readFileSync(planPath, "utf8")).toContain('name = "x"');
  });
});

describe("runBuild", () => {
  it("gives build the plan and layers, writes launch.toml and build.toml, logs a title", async () => {
    const s = setup();
    const planPath = join(s.root, "bp-plan.toml");
    writeFileSync(planPath, '[[entries]]\nname = "python"\n[entries.metadata]\nversion = "3.13"\n');
    const code = await runBuild(
      (ctx) => {
        expect(ctx.plan.entries).toEqual([{ name: "python", metadata: { version: "3.13" } }]);
        const layer = ctx.layers.get("tool");
        layer.reset();
        layer.write({ v: 1 }, { build: true });
        ctx.logger.step("working");
        return {
          processes: [{ type: "web", command: ["python3", "app.py"], default: true }],
          labels: [{ key: "a", value: "b" }],
          unmet: ["python"],
        };
      },
      s.rt("build", { CNB_LAYERS_DIR: s.layers, CNB_BP_PLAN_PATH: planPath }),
    );
    expect(code).toBe(0);
    expect(s.out()).toContain("## Test (test/bp 1.2.3)");
    expect(s.out()).toContain("- working");
    expect(s.out()).toMatch(/Done \(finished in .*\)/);
    expect(parseToml(readFileSync(join(s.layers, "launch.toml"), "utf8"))).toEqual({
      processes: [{ type: "web", command: ["python3", "app.py"], args: [], default: true }],
      labels: [
        { key: "a", value: "b" },
        { key: "dev.ml-buildpacks.app-reads.test.bp", value: '{"buildpack":"test/bp","files":[]}' },
      ],
    });
    expect(parseToml(readFileSync(join(s.layers, "build.toml"), "utf8"))).toEqual({
      unmet: [{ name: "python" }],
    });
    expect(parseToml(readFileSync(join(s.layers, "tool.toml"), "utf8"))).toMatchObject({
      types: { build: true },
    });
  });

  it("labels the image with the app files the build read through ctx.app, and whole-app reasons", async () => {
    const s = setup();
    writeFileSync(join(s.app, "requirements.txt"), "six\n");
    writeFileSync(join(s.app, "app.py"), "print(1)\n");
    const code = await runBuild(
      (ctx) => {
        ctx.app.readText("./requirements.txt");
        ctx.app.readBytes("missing.txt");
        ctx.app.isFile("app.py");
        ctx.appReads.dependsOnWholeApp("requirements.txt:1 installs .");
        ctx.appReads.dependsOnWholeApp("a second reason is not kept");
      },
      s.rt("build", { CNB_LAYERS_DIR: s.layers }),
    );
    expect(code).toBe(0);
    const launch = parseToml(readFileSync(join(s.layers, "launch.toml"), "utf8")) as {
      labels: { key: string; value: string }[];
    };
    const labels = Object.fromEntries(launch.labels.map((l) => [l.key, l.value]));
    expect(appReadsFromLabels(labels).get("test/bp")).toEqual({
      buildpack: "test/bp",
      files: ["missing.txt", "requirements.txt"],
      wholeApp: "requirements.txt:1 installs .",
    });
  });

  it("exits 1 with the rendered error when build throws", async () => {
    const s = setup();
    const code = await runBuild(
      () => {
        throw new BuildpackError({
          title: "pip could not install requirements.txt",
          body: "b",
          file: "requirements.txt",
        });
      },
      s.rt("build", { CNB_LAYERS_DIR: s.layers }),
    );
    expect(code).toBe(1);
    expect(s.err()).toContain("! ERROR: pip could not install requirements.txt\n!   in requirements.txt");
  });

  it("exits 1 when CNB_LAYERS_DIR is missing", async () => {
    const s = setup();
    const code = await runBuild(() => {}, s.rt("build", {}));
    expect(code).toBe(1);
    expect(s.err()).toContain("CNB_LAYERS_DIR is not set");
  });
});

describe("run", () => {
  it("dispatches on argv[2] and rejects unknown phases", async () => {
    const s = setup();
    const bp = { detect: () => fail("no"), build: () => {} };
    expect(await run(bp, s.rt("detect", { CNB_BUILD_PLAN_PATH: join(s.root, "p.toml") }))).toBe(100);
    expect(await run(bp, s.rt("build", { CNB_LAYERS_DIR: s.layers }))).toBe(0);
    expect(await run(bp, s.rt("explode", {}))).toBe(1);
    expect(s.err()).toContain("usage: main.mjs detect|build");
    process.exitCode = 0;
  });
});
