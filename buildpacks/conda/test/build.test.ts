import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildpackError, parseToml, stringifyToml } from "#libcnb";
import { type ExecCall, fakeExec } from "#libcnb/testing";
import { stackPythonAnswer } from "#pybuild/testing";
import { build } from "../src/build.js";
import type { DriverRequest, DriverResult } from "../src/driver.js";
import type { ResolvedPackage } from "../src/resolved.js";
import { buildContext } from "./helpers.js";

const ENV = "name: app\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - numpy>=2\n";
const pkg = (name: string, version: string, build = "0", subdir = "linux-64"): ResolvedPackage => ({
  name,
  version,
  build,
  subdir,
  file_name: `${name}-${version}-${build}.tar.bz2`,
  url: `http://127.0.0.1:5482/conda-forge/${subdir}/${name}-${version}-${build}.tar.bz2`,
  sha256: `${name}${version}`.padEnd(64, "0"),
});
const SET = [pkg("numpy", "2.2.6", "py311_0"), pkg("python", "3.11.2")];

interface Driver {
  resolve?: (req: DriverRequest) => DriverResult;
  requests: { command: string; req: DriverRequest }[];
}

/** Stack Python + pip, the rattler venv, and a conda_driver.py answering from `driver`. */
function fakeTools(driver: Driver) {
  return fakeExec((call: ExecCall) => {
    const stack = stackPythonAnswer(call);
    if (stack) return stack;
    const { command, args } = call;
    if (command.endsWith("/rattler/bin/python") && args[0] === "-I") return { stdout: "0.28.0\n" };
    if (command.endsWith("/rattler/bin/python") && (args[0] ?? "").endsWith("conda_driver.py")) {
      const [, sub = "", reqPath = "", resPath = ""] = args;
      const req = JSON.parse(readFileSync(reqPath, "utf8")) as DriverRequest;
      driver.requests.push({ command: sub, req });
      const result: DriverResult = driver.resolve?.(req) ?? { ok: true, packages: SET, digest: "d1" };
      if (sub === "install" && result.ok) {
        mkdirSync(join(req.prefix, "bin"), { recursive: true });
        writeFileSync(join(req.prefix, "bin", "python"), "");
      }
      writeFileSync(resPath, JSON.stringify(result));
      return {};
    }
    return {};
  });
}

const toml = (path: string) => parseToml(readFileSync(path, "utf8"));

async function fails(p: Promise<unknown>): Promise<BuildpackError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof BuildpackError) return err;
    throw err;
  }
  throw new Error("expected the build to fail");
}

describe("conda build", () => {
  it("solves, installs into <env>/prefix, writes the launch env and the layer flags", async () => {
    const driver: Driver = { requests: [] };
    const ctx = buildContext({ "environment.yml": ENV }, fakeTools(driver));
    await build({ ...ctx, env: { BP_CONDA_CHANNEL_ALIAS: "http://127.0.0.1:5482" } });

    expect(driver.requests.map((r) => r.command)).toEqual(["resolve", "install"]);
    const [resolve, install] = driver.requests;
    expect(resolve?.req).toMatchObject({
      channels: ["http://127.0.0.1:5482/conda-forge"],
      specs: ["python=3.11", "numpy>=2"],
      platform: "linux-64",
      cache_dir: join(ctx.layersDir, "conda-cache"),
      prefix: join(ctx.layersDir, "env", "prefix"),
      explicit: null,
    });
    expect(install?.req.expect).toBe("d1");
    const env = toml(join(ctx.layersDir, "env.toml"));
    expect(env.types).toEqual({ build: false, launch: true, cache: false });
    expect(env.metadata).toMatchObject({
      source: "environment.yml",
      packages: "numpy=2.2.6=py311_0 python=3.11.2=0",
      rattler_version: "0.28.0",
      arch: "amd64",
    });
    expect(toml(join(ctx.layersDir, "conda-cache.toml")).types).toEqual({
      build: false,
      launch: false,
      cache: true,
    });
    expect(toml(join(ctx.layersDir, "rattler.toml")).types).toEqual({
      build: false,
      launch: false,
      cache: true,
    });
    const launchEnv = join(ctx.layersDir, "env", "env.launch");
    expect(readFileSync(join(launchEnv, "PATH.prepend"), "utf8")).toBe(
      join(ctx.layersDir, "env", "prefix", "bin"),
    );
    expect(readFileSync(join(launchEnv, "CONDA_PREFIX.override"), "utf8")).toBe(
      join(ctx.layersDir, "env", "prefix"),
    );
    expect(readFileSync(join(launchEnv, "CONDA_DEFAULT_ENV.override"), "utf8")).toBe("app");
    expect(ctx.logger.text()).toContain("numpy 2.2.6 (py311_0, linux-64)");
  });

  it("reuses the env layer when the key matches (no install, no env dir), and says so", async () => {
    const driver: Driver = { requests: [] };
    const first = buildContext({ "environment.yml": ENV }, fakeTools(driver));
    await build(first);
    const metadata = toml(join(first.layersDir, "env.toml")).metadata;

    const again: Driver = { requests: [] };
    const ctx = buildContext({ "environment.yml": ENV }, fakeTools(again));
    writeFileSync(join(ctx.layersDir, "env.toml"), stringifyToml({ metadata: metadata ?? {} }));
    await build(ctx);
    expect(again.requests.map((r) => r.command)).toEqual(["resolve"]);
    expect(existsSync(join(ctx.layersDir, "env"))).toBe(false);
    expect(toml(join(ctx.layersDir, "env.toml")).types).toEqual({ build: false, launch: true, cache: false });
    expect(ctx.logger.text()).toContain(
      "Reusing the conda environment (environment.yml and the resolved packages unchanged)",
    );
  });

  it("rebuilds from scratch when environment.yml or the resolved set changed, listing what changed", async () => {
    const first = buildContext({ "environment.yml": ENV }, fakeTools({ requests: [] }));
    await build(first);
    const metadata = toml(join(first.layersDir, "env.toml")).metadata;

    const driver: Driver = {
      requests: [],
      resolve: () => ({
        ok: true,
        packages: [pkg("numpy", "2.3.0", "py311_0"), pkg("python", "3.11.2")],
        digest: "d2",
      }),
    };
    const ctx = buildContext({ "environment.yml": `${ENV}  - tabulate\n` }, fakeTools(driver));
    writeFileSync(join(ctx.layersDir, "env.toml"), stringifyToml({ metadata: metadata ?? {} }));
    mkdirSync(join(ctx.layersDir, "env", "prefix", "stale"), { recursive: true });
    await build(ctx);
    const log = ctx.logger.text();
    expect(log).toContain("Discarding the conda environment from the previous image:");
    expect(log).toMatch(/environment\.yml changed \(sha256 [0-9a-f]{8}… -> [0-9a-f]{8}…\)/);
    expect(log).toContain("resolved packages changed: numpy 2.2.6 (py311_0) -> 2.3.0 (py311_0)");
    expect(log).not.toContain("other sha256");
    expect(driver.requests.map((r) => r.command)).toEqual(["resolve", "install"]);
    expect(readdirSync(join(ctx.layersDir, "env", "prefix"))).not.toContain("stale");
  });

  it("an explicit lock is downloaded and verified through the alias, never solved", async () => {
    const sha = "c".repeat(64);
    const lock = `@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/linux-64/python-3.11.2-0.tar.bz2#sha256:${sha}\n`;
    const driver: Driver = { requests: [] };
    const env = "dependencies:\n  - python=3.11\n";
    const ctx = buildContext({ "environment.yml": env, "conda-linux-64.lock": lock }, fakeTools(driver));
    await build({ ...ctx, env: { BP_CONDA_CHANNEL_ALIAS: "http://127.0.0.1:5482" } });
    expect(driver.requests[0]?.req).toMatchObject({
      channels: [],
      specs: [],
      explicit: [
        {
          url: "http://127.0.0.1:5482/conda-forge/linux-64/python-3.11.2-0.tar.bz2",
          kind: "sha256",
          hash: sha,
          line: 2,
        },
      ],
    });
    expect(toml(join(ctx.layersDir, "env.toml")).metadata).toMatchObject({ source: "conda-linux-64.lock" });
    expect(ctx.logger.text()).toContain(
      "conda-linux-64.lock: 1 packages, installed exactly as locked (no solving)",
    );
  });

  it.each([
    [
      {
        ok: false,
        kind: "unsatisfiable",
        message: "Cannot solve the request because of: No candidates were found for numpy >=3.",
      },
      "The packages in environment.yml cannot be installed together",
      "No candidates were found for numpy >=3.",
    ],
    [
      { ok: false, kind: "unreachable", message: "error sending request for url (http://127.0.0.1:1/x)" },
      "A conda channel could not be reached",
      "BP_CONDA_CHANNEL_ALIAS",
    ],
    [
      {
        ok: false,
        kind: "hash-mismatch",
        message: "m",
        url: "http://x/a.tar.bz2",
        line: 3,
        kind_of_hash: "sha256",
        expected: "aa",
        actual: "bb",
      },
      "environment.yml line 3: a downloaded package does not match its sha256",
      "sha256 of the download: bb",
    ],
  ] as const)("driver failure %#: %s", async (result, title, body) => {
    const driver: Driver = { requests: [], resolve: () => result as DriverResult };
    const err = await fails(build(buildContext({ "environment.yml": ENV }, fakeTools(driver))));
    expect(err.title).toBe(title);
    expect(err.body).toContain(body);
  });

  it("installs the pip section with the environment's pip after the conda packages", async () => {
    const driver: Driver = { requests: [] };
    const exec = fakeTools(driver);
    const ctx = buildContext({ "environment.yml": `${ENV}  - pip\n  - pip:\n      - six==1.17.0\n` }, exec);
    await build(ctx);
    const prefix = join(ctx.layersDir, "env", "prefix");
    const pip = exec.calls.filter((c) => c.command === join(prefix, "bin", "python"));
    expect(pip.map((c) => c.args.slice(0, 3))).toEqual([
      ["-I", "-c", "import pip"],
      ["-m", "pip", "install"],
    ]);
    const args = pip[1]?.args ?? [];
    expect(args[args.indexOf("--cache-dir") + 1]).toBe(join(ctx.layersDir, "conda-cache", "pip"));
    expect(pip[1]?.options.env).toMatchObject({ PYTHONNOUSERSITE: "1", PIP_USER: undefined });
    expect(ctx.logger.text()).toContain("environment.yml: 3 dependencies and 1 pip requirements");
    expect(ctx.logger.text()).toContain("Installing the pip section of environment.yml (six==1.17.0)");
  });

  it("a pip section without pip in the environment fails naming its line", async () => {
    const exec = fakeTools({ requests: [] });
    const withPip = fakeExec((call) =>
      call.args[2] === "import pip"
        ? { code: 1, stderr: "ModuleNotFoundError: No module named 'pip'\n" }
        : exec(call.command, call.args, call.options),
    );
    const err = await fails(
      build(buildContext({ "environment.yml": `${ENV}  - pip:\n      - six==1.17.0\n` }, withPip)),
    );
    expect(err.title).toBe('environment.yml line 7: the "pip:" section needs pip in the environment');
    expect(err.line).toBe(7);
  });

  it("a private channel: the driver gets clean URLs and a temp RATTLER_AUTH_FILE; nothing keeps the token", async () => {
    const TOKEN = "tok-planted-0123";
    const driver: Driver = { requests: [] };
    const tools = fakeTools(driver);
    const auths: { path: string; content: string }[] = [];
    const exec = fakeExec((call) => {
      const path = call.options.env?.RATTLER_AUTH_FILE;
      if (path) auths.push({ path, content: readFileSync(path, "utf8") });
      return tools(call.command, call.args, call.options);
    });
    const app =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder as a user writes it
      "name: app\nchannels:\n  - https://build:${CONDA_TOKEN}@conda.example.com/private\ndependencies:\n  - python=3.11\n";
    const ctx = buildContext({ "environment.yml": app }, exec);
    await build({ ...ctx, env: { CONDA_TOKEN: TOKEN } });

    expect(driver.requests.map((r) => r.req.channels)).toEqual([
      ["https://conda.example.com/private"],
      ["https://conda.example.com/private"],
    ]);
    expect(auths).toHaveLength(2);
    for (const a of auths) {
      expect(JSON.parse(a.content)).toEqual({
        "conda.example.com": { BasicHTTP: { username: "build", password: TOKEN } },
      });
      expect(existsSync(a.path)).toBe(false);
    }
    expect(ctx.logger.text()).toContain("channels https://conda.example.com/private");
    expect(ctx.logger.text()).not.toContain(TOKEN);
    const holding = readdirSync(ctx.layersDir, { recursive: true, encoding: "utf8" }).filter((f) => {
      const path = join(ctx.layersDir, f);
      try {
        return readFileSync(path, "utf8").includes(TOKEN);
      } catch {
        return false; // a directory
      }
    });
    expect(holding).toEqual([]);
    expect(readdirSync(ctx.layersDir).length).toBeGreaterThan(2);
  });

  it("without private channels the driver gets no RATTLER_AUTH_FILE", async () => {
    const driver: Driver = { requests: [] };
    const tools = fakeTools(driver);
    const seen: (string | undefined)[] = [];
    const exec = fakeExec((call) => {
      if ((call.args[0] ?? "").endsWith("conda_driver.py")) seen.push(call.options.env?.RATTLER_AUTH_FILE);
      return tools(call.command, call.args, call.options);
    });
    await build(buildContext({ "environment.yml": ENV }, exec));
    expect(seen).toEqual([undefined, undefined]);
  });

  it("a crashing driver is reported with its output", async () => {
    const exec = fakeExec((call) => {
      if (call.command === "/usr/bin/python3" && call.args[0] === "-I")
        return { stdout: '{"python": "3.13.5", "pip": "25.1.1"}\n' };
      if (call.command === "/usr/bin/python3" && call.args[1] === "venv") {
        mkdirSync(join(call.args[call.args.length - 1] ?? "", "bin"), { recursive: true });
        return {};
      }
      if (call.args[0] === "-I") return { stdout: "0.28.0\n" };
      if ((call.args[0] ?? "").endsWith("conda_driver.py")) return { code: 1, stderr: "Traceback: boom\n" };
      return {};
    });
    const err = await fails(build(buildContext({ "environment.yml": ENV }, exec)));
    expect(err.title).toBe("The conda driver (py-rattler) failed");
    expect(err.body).toContain("Traceback: boom");
  });
});
