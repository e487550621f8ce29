import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { chooseExecutor, parseCommand } from "../../../src/cli/args.js";
import {
  defaultLocalDirs,
  homeOf,
  LocalExecutor,
  type LocalExecutorOptions,
  localBuilderInfo,
} from "../../../src/core/executor/local.js";
import { type PhaseInputs, phaseSpecs } from "../../../src/core/lifecycle/phases.js";
import type { ProcessRunner, RunOptions } from "../../../src/core/process.js";

const inputs: PhaseInputs = {
  platformApi: "0.14",
  image: "127.0.0.1:5000/a/b:1",
  additionalTags: [],
  runImage: undefined,
  previousImage: undefined,
  useCache: true,
  logLevel: "info",
  defaultProcess: undefined,
  insecureRegistries: [],
  daemon: false,
};

interface Call {
  command: string;
  args: readonly string[];
  opts: RunOptions | undefined;
}

function fakeRunner(exitCode = 0, stdout = ""): { run: ProcessRunner; calls: Call[] } {
  const calls: Call[] = [];
  const run: ProcessRunner = async (command, args, opts) => {
    calls.push({ command, args, opts });
    opts?.onLine?.(`ran ${command}`, "stdout");
    return { exitCode, stdout, stderr: "" };
  };
  return { run, calls };
}

const dirs: string[] = [];
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), "local-executor-test-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(over: Partial<LocalExecutorOptions> = {}) {
  const root = temp();
  const app = join(root, "app");
  mkdirSync(join(app, ".git"), { recursive: true });
  mkdirSync(join(app, "pkg"));
  writeFileSync(join(app, "app.py"), "print('hi')\n");
  writeFileSync(join(app, "pkg", "m.py"), "x = 1\n");
  writeFileSync(join(app, ".git", "HEAD"), "ref\n");
  const { run, calls } = fakeRunner();
  const infos: string[] = [];
  const executor = new LocalExecutor({
    run,
    log: { info: (m: string) => void infos.push(m), warn: (m: string) => void infos.push(m) },
    uid: 1000,
    gid: 1001,
    appDir: app,
    cacheDir: join(root, "cache"),
    buildEnv: { PIP_INDEX_URL: "http://127.0.0.1:1/simple" },
    caCerts: undefined,
    platformApi: "0.14",
    secretEnv: { CNB_REGISTRY_AUTH: '{"r":"Basic x"}' },
    layersDir: join(root, "layers"),
    workspaceDir: join(root, "workspace"),
    currentUid: 0,
    env: { PATH: "/usr/bin", CNB_REGISTRY_AUTH: "from-job", CI_JOB_ID: "7" },
    ...over,
  });
  return { root, executor, calls, infos };
}

describe("LocalExecutor", () => {
  test("phases get the same flags as the docker executor, with real paths", () => {
    const { executor, root } = setup();
    const specs = phaseSpecs(inputs, executor.paths);
    const restore = specs.find((s) => s.phase === "restore");
    expect(restore?.binary).toBe("/cnb/lifecycle/restorer");
    expect(restore?.args).toEqual(
      expect.arrayContaining(["-layers", join(root, "layers"), "-cache-dir", join(root, "cache")]),
    );
    const build = specs.find((s) => s.phase === "build");
    expect(build?.args).toEqual(expect.arrayContaining(["-app", join(root, "workspace")]));
    expect(build?.args.join(" ")).not.toContain("/ml-buildpacks/");
    // Only the paths differ from the container layout.
    const docker = phaseSpecs(inputs);
    expect(specs.map((s) => s.args.length)).toEqual(docker.map((s) => s.args.length));
  });

  test("prepare copies the app without .git, writes platform env, hands dirs to the CNB user as root", async () => {
    const { executor, root, calls, infos } = setup();
    await executor.prepare();
    const ws = join(root, "workspace");
    expect(readFileSync(join(ws, "app.py"), "utf8")).toBe("print('hi')\n");
    expect(existsSync(join(ws, "pkg", "m.py"))).toBe(true);
    expect(existsSync(join(ws, ".git"))).toBe(false);
    expect(readFileSync(join(executor.paths.platform, "env", "PIP_INDEX_URL"), "utf8")).toBe(
      "http://127.0.0.1:1/simple",
    );
    expect(existsSync(join(root, "cache"))).toBe(true);
    const chown = calls.find((c) => c.command === "chown");
    expect(chown?.args).toEqual([
      "-R",
      "1000:1001",
      join(root, "layers"),
      ws,
      executor.paths.out,
      join(root, "cache"),
    ]);
    expect(infos.join("\n")).toContain("detect and build as the CNB user 1000:1001");
    await executor.cleanup();
    expect(existsSync(executor.paths.out)).toBe(false);
    expect(existsSync(join(ws, "app.py"))).toBe(false);
    expect(existsSync(join(root, "cache"))).toBe(true);
  });

  test("a cache dir inside the app dir is not copied into the workspace", async () => {
    const { root } = setup();
    const app = join(root, "app");
    mkdirSync(join(app, ".ml-buildpacks", "cache", "committed"), { recursive: true });
    // Named after its contents' sha256, as the lifecycle names cached layers (a damaged one is dropped).
    const cached = `sha256:${createHash("sha256").update("big").digest("hex")}.tar`;
    writeFileSync(join(app, ".ml-buildpacks", "cache", "committed", cached), "big");
    writeFileSync(join(app, ".ml-buildpacks", "keep.txt"), "kept");
    const { executor } = setup({ appDir: app, cacheDir: join(app, ".ml-buildpacks", "cache") });
    await executor.prepare();
    const ws = executor.paths.app;
    expect(existsSync(join(ws, ".ml-buildpacks", "keep.txt"))).toBe(true);
    expect(existsSync(join(ws, ".ml-buildpacks", "cache"))).toBe(false);
    expect(existsSync(join(app, ".ml-buildpacks", "cache", "committed", cached))).toBe(true);
  });

  test("prepare empties a layers dir left from an earlier build", async () => {
    const { executor, root } = setup();
    mkdirSync(join(root, "layers", "old"), { recursive: true });
    await executor.prepare();
    expect(existsSync(join(root, "layers", "old"))).toBe(false);
  });

  test.each([
    ["analyze", undefined, true],
    ["detect", 1000, false],
    ["restore", undefined, true],
    ["build", 1000, false],
    ["export", undefined, true],
  ] as const)("as root, %s runs with uid %s; registry credentials: %s", async (phase, uid, creds) => {
    const { executor, calls } = setup();
    const spec = phaseSpecs(inputs, executor.paths).find((s) => s.phase === phase);
    if (!spec) throw new Error(phase);
    const lines: string[] = [];
    expect(await executor.runPhase(spec, (l) => lines.push(l))).toBe(0);
    const call = calls.at(-1);
    expect(call?.command).toBe(spec.binary);
    expect(call?.args).toEqual(spec.args);
    expect(call?.opts?.uid).toBe(uid);
    expect(call?.opts?.gid).toBe(uid === undefined ? undefined : 1001);
    expect(call?.opts?.replaceEnv).toBe(true);
    const env = call?.opts?.env ?? {};
    expect(env.CNB_PLATFORM_API).toBe("0.14");
    expect(env.CI_JOB_ID).toBe("7");
    // The job's own CNB_REGISTRY_AUTH never leaks; ours only reaches the registry phases.
    expect(env.CNB_REGISTRY_AUTH).toBe(creds ? '{"r":"Basic x"}' : undefined);
    expect(lines).toEqual([`ran ${spec.binary}`]);
  });

  test("as the CNB user (non-root job) every phase runs as that user and the log says what is unavailable", async () => {
    const { executor, calls, infos } = setup({ currentUid: 1000 });
    await executor.prepare();
    expect(calls.find((c) => c.command === "chown")).toBeUndefined();
    for (const spec of phaseSpecs(inputs, executor.paths)) await executor.runPhase(spec, () => {});
    for (const c of calls.filter((c) => c.command.startsWith("/cnb/"))) expect(c.opts?.uid).toBeUndefined();
    expect(infos.join("\n")).toMatch(/uid 1000, not root.*root-only features/);
  });

  test("a CA bundle reaches the phases and the buildpacks", async () => {
    const { executor, calls } = setup({ caCerts: "/tmp/proxy-ca.pem" });
    await executor.prepare();
    expect(readFileSync(join(executor.paths.platform, "env", "PIP_CERT"), "utf8")).toBe("/tmp/proxy-ca.pem");
    const spec = phaseSpecs(inputs, executor.paths)[0];
    if (!spec) throw new Error("no phase");
    await executor.runPhase(spec, () => {});
    expect(calls.at(-1)?.opts?.env?.SSL_CERT_FILE).toBe("/tmp/proxy-ca.pem");
  });

  test("a failing chown as root is a readable error", async () => {
    const root = temp();
    mkdirSync(join(root, "app"));
    const { run } = fakeRunner(1);
    const executor = new LocalExecutor({
      run,
      log: { info: () => {}, warn: () => {} },
      uid: 1000,
      gid: 1000,
      appDir: join(root, "app"),
      cacheDir: undefined,
      buildEnv: {},
      caCerts: undefined,
      platformApi: "0.14",
      secretEnv: {},
      layersDir: join(root, "layers"),
      workspaceDir: join(root, "ws"),
      currentUid: 0,
      env: {},
    });
    await expect(executor.prepare()).rejects.toThrow(/hand the build dirs to the CNB user 1000:1000/);
  });

  test("readOutput reads the out dir", async () => {
    const { executor } = setup();
    await executor.prepare();
    writeFileSync(join(executor.paths.out, "report.toml"), "[image]\n");
    expect(executor.readOutput("report.toml")).toBe("[image]\n");
    expect(executor.readOutput("group.toml")).toBeUndefined();
  });
});

describe("defaultLocalDirs and homeOf", () => {
  test("the builder's /layers and /workspace when writable, else fixed dirs", () => {
    expect(defaultLocalDirs(() => true)).toEqual({ layers: "/layers", app: "/workspace" });
    const fallback = defaultLocalDirs(() => false);
    expect(fallback.layers).toBe(join(tmpdir(), "ml-buildpacks-local", "layers"));
    expect(fallback.app).toBe(join(tmpdir(), "ml-buildpacks-local", "workspace"));
  });

  test("homeOf reads /etc/passwd", () => {
    const passwd = "root:x:0:0:root:/root:/bin/sh\ncnb:x:1000:1000::/home/cnb:/bin/sh\n";
    expect(homeOf(1000, passwd)).toBe("/home/cnb");
    expect(homeOf(42, passwd)).toBeUndefined();
  });
});

describe("localBuilderInfo", () => {
  function cnbDir(): string {
    const cnb = temp();
    mkdirSync(join(cnb, "lifecycle"));
    writeFileSync(join(cnb, "lifecycle", "lifecycle"), "#!/bin/sh\n");
    chmodSync(join(cnb, "lifecycle", "lifecycle"), 0o755);
    writeFileSync(
      join(cnb, "order.toml"),
      '[[order]]\n[[order.group]]\nid = "ml-buildpacks/python"\nversion = "0.1.0"\n[[order.group]]\nid = "ml-buildpacks/pip"\nversion = "0.1.0"\n' +
        '[[order]]\n[[order.group]]\nid = "ml-buildpacks/python"\nversion = "0.1.0"\n',
    );
    writeFileSync(join(cnb, "run.toml"), '[[images]]\nimage = "127.0.0.1:5000/ml-buildpacks/run:cpu"\n');
    return cnb;
  }

  test("from the environment and /cnb files, without Docker", async () => {
    const { run, calls } = fakeRunner(0, "0.21.17\n");
    const info = await localBuilderInfo({
      ref: "reg/builder:cpu-arm64",
      run,
      env: { CNB_USER_ID: "1000", CNB_GROUP_ID: "1000", CNB_STACK_ID: "s" },
      arch: "arm64",
      cnbDir: cnbDir(),
    });
    expect(calls[0]?.args).toEqual(["-version"]);
    expect(info).toMatchObject({
      ref: "reg/builder:cpu-arm64",
      platform: "linux/arm64",
      uid: 1000,
      gid: 1000,
      lifecycleVersion: "0.21.17",
      runImages: ["127.0.0.1:5000/ml-buildpacks/run:cpu"],
      buildpacks: [
        { id: "ml-buildpacks/python", version: "0.1.0" },
        { id: "ml-buildpacks/pip", version: "0.1.0" },
      ],
      stackId: "s",
    });
    expect(info.platformApis).toContain("0.14");
  });

  test("x64 is amd64", async () => {
    const { run } = fakeRunner(0, "0.21.17");
    const info = await localBuilderInfo({
      ref: "b",
      run,
      env: { CNB_USER_ID: "1000", CNB_GROUP_ID: "1000" },
      arch: "x64",
      cnbDir: cnbDir(),
    });
    expect(info.platform).toBe("linux/amd64");
  });

  test("without CNB_USER_ID this is not a builder", async () => {
    const { run } = fakeRunner();
    await expect(localBuilderInfo({ ref: "b", run, env: {}, cnbDir: cnbDir() })).rejects.toThrow(
      /CNB_USER_ID\/CNB_GROUP_ID are not set/,
    );
  });
});

describe("--executor", () => {
  test.each([
    [undefined, true, false, "local"],
    [undefined, true, true, "docker"],
    [undefined, false, false, "docker"],
    ["docker", true, false, "docker"],
    ["local", false, true, "local"],
  ] as const)("flag %s, inside builder %s, docker %s -> %s", (flag, insideBuilder, dockerReachable, want) => {
    expect(chooseExecutor(flag, { insideBuilder, dockerReachable })).toBe(want);
  });

  test("parsed from argv; bad values and --no-publish with local are usage errors", () => {
    const cmd = parseCommand(["build", "app", "--image", "r/x:1", "--executor", "local"]);
    expect(cmd.kind === "build" && cmd.executor).toBe("local");
    const auto = parseCommand(["build", "app", "--image", "r/x:1"]);
    expect(auto.kind === "build" && auto.executor).toBeUndefined();
    expect(() => parseCommand(["build", "app", "--image", "r/x:1", "--executor", "k8s"])).toThrow(
      /--executor must be one of docker, local/,
    );
    expect(() =>
      parseCommand(["build", "app", "--image", "r/x:1", "--executor", "local", "--no-publish"]),
    ).toThrow(/--no-publish needs the docker executor/);
  });
});
