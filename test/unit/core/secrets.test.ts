// Build secrets: the --secret parser, masking, and which phases get the secrets dir.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { parseCommand } from "../../../src/cli/args.js";
import { MlBuildpacksError } from "../../../src/core/errors.js";
import { phaseDockerArgs } from "../../../src/core/executor/docker.js";
import { LocalExecutor } from "../../../src/core/executor/local.js";
import { creatorSpec, type PhaseInputs, phaseSpecs } from "../../../src/core/lifecycle/phases.js";
import type { Logger } from "../../../src/core/log.js";
import type { ProcessRunner } from "../../../src/core/process.js";
import {
  checkSecretsApart,
  MaskingLogger,
  maskablesOf,
  maskText,
  parseSecretSpecs,
} from "../../../src/core/secrets.js";

const TOKEN = "s3cr3t-T0KEN";
const URL_SECRET = `https://build:${TOKEN}@pypi.example.com/simple`;
const sources = {
  env: { INDEX_URL: URL_SECRET, EMPTY: "" },
  readFile: (path: string) => (path === "/run/secrets/index" ? `${URL_SECRET}\n` : undefined),
};

function usageError(fn: () => unknown): MlBuildpacksError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MlBuildpacksError);
    return err as MlBuildpacksError;
  }
  throw new Error("no error");
}

describe("parseSecretSpecs", () => {
  test("env=, src= (one trailing newline dropped) and id alone", () => {
    expect(
      parseSecretSpecs(
        ["id=PIP_INDEX_URL,env=INDEX_URL", "id=UV_INDEX_URL,src=/run/secrets/index", "id=INDEX_URL"],
        sources,
      ),
    ).toEqual({ PIP_INDEX_URL: URL_SECRET, UV_INDEX_URL: URL_SECRET, INDEX_URL: URL_SECRET });
  });

  test.each([
    ["env=INDEX_URL", "id=NAME is missing"],
    ["id=,env=INDEX_URL", "id=NAME is missing"],
    ["id=A,env=INDEX_URL,src=/run/secrets/index", "give env= or src=, not both"],
    ["id=A,env=NOT_SET", "the environment variable NOT_SET is not set"],
    ["id=A,env=EMPTY", "the environment variable EMPTY is not set (or empty)"],
    ["id=A,src=/no/such/file", "the file /no/such/file cannot be read"],
    ["id=A,src=", "src= names no file"],
    ["id=A,value=x", `"value=x" is not id=..., env=... or src=...`],
    ["id=A,id=B,env=INDEX_URL", "id= is given twice"],
    ["id=9A,env=INDEX_URL", `id "9A" is not a variable name`],
    ["id=CNB_X,env=INDEX_URL", "CNB_* names are the lifecycle's"],
  ])("%s: a usage error that says what is wrong and how to write it", (spec, problem) => {
    const err = usageError(() => parseSecretSpecs([spec], sources));
    expect(err.title).toContain(`--secret ${spec}: ${problem}`);
    expect(err.hint).toContain("--secret id=NAME,env=VAR");
    expect(err.exitCode).toBe(2);
  });

  test("the same name twice, and a name that is also build env, are refused", () => {
    expect(
      usageError(() =>
        parseSecretSpecs(["id=A,env=INDEX_URL", "id=A"], { ...sources, env: { A: "x", INDEX_URL: "y" } }),
      ).title,
    ).toContain("the secret A is given twice");
    expect(usageError(() => checkSecretsApart({ A: "1" }, { A: "2" })).title).toContain(
      "A is given both as build env and as a secret",
    );
  });

  test("an error never shows the value", () => {
    const err = usageError(() => parseSecretSpecs(["id=A,env=INDEX_URL", "id=A,env=INDEX_URL"], sources));
    expect(`${err.title}${err.hint}`).not.toContain(TOKEN);
  });
});

describe("the CLI's --secret", () => {
  test("goes into the request's secrets, not its env", () => {
    const c = parseCommand(
      ["build", "app", "--image", "r/a:1", "--env", "A=1", "--secret", "id=PIP_INDEX_URL,env=INDEX_URL"],
      sources.env,
      () => false,
      sources.readFile,
    );
    if (c.kind !== "build") throw new Error(c.kind);
    expect(c.request.secrets).toEqual({ PIP_INDEX_URL: URL_SECRET });
    expect(c.request.env).toEqual({ A: "1" });
  });

  test("bad forms are usage errors (exit code 2)", () => {
    for (const spec of ["env=INDEX_URL", "id=A,env=INDEX_URL,src=f", "id=A,env=NOPE", "id=A,src=/missing"]) {
      const err = usageError(() =>
        parseCommand(["build", "app", "--image", "r/a:1", "--secret", spec], sources.env),
      );
      expect(err.exitCode).toBe(2);
    }
    expect(
      usageError(() =>
        parseCommand(
          ["build", "app", "--image", "r/a:1", "--env", "A=1", "--secret", "id=A,env=INDEX_URL"],
          sources.env,
        ),
      ).title,
    ).toContain("both as build env and as a secret");
  });
});

describe("masking", () => {
  test("a URL secret masks the whole value, user:password and the password, also percent-decoded", () => {
    expect(maskablesOf("https://u:p%40ss-word@h/simple")).toEqual(
      expect.arrayContaining(["https://u:p%40ss-word@h/simple", "u:p%40ss-word", "p%40ss-word", "p@ss-word"]),
    );
    expect(
      maskText(
        `Looking in indexes: https://build:****@h and ${URL_SECRET} and ${TOKEN}`,
        maskablesOf(URL_SECRET),
      ),
    ).toBe("Looking in indexes: https://build:****@h and *** and ***");
    // A one-letter user name is not masked on its own (it would garble the log).
    expect(maskablesOf("https://u:tok@h")).not.toContain("u");
    // A short value is still masked: it is the secret itself.
    expect(maskablesOf("ab")).toEqual(["ab"]);
  });

  test("MaskingLogger masks info, warn, error, output and group titles once registered", async () => {
    const lines: string[] = [];
    const inner: Logger = {
      info: (m) => void lines.push(m),
      warn: (m) => void lines.push(m),
      error: (m) => void lines.push(m),
      output: (m) => void lines.push(m),
      group: async (t, fn) => {
        lines.push(t);
        return fn();
      },
    };
    const log = new MaskingLogger(inner);
    log.info(`before ${TOKEN}`);
    log.register(URL_SECRET);
    log.info(`a ${TOKEN}`);
    log.warn(`b ${URL_SECRET}`);
    log.error(`c ${TOKEN}`);
    log.output(`d ${TOKEN}`);
    await log.group(`e ${TOKEN}`, async () => undefined);
    expect(lines).toEqual([`before ${TOKEN}`, "a ***", "b ***", "c ***", "d ***", "e ***"]);
  });
});

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

describe("which phases get the secrets", () => {
  const base = {
    builderRef: "b:1",
    platform: "linux/amd64",
    uid: 1000,
    gid: 1000,
    layersVolume: "lv",
    workspaceVolume: "wv",
    platformDir: "/tmp/p",
    secretsPlatformDir: "/tmp/ps",
    outDir: "/tmp/o",
    cacheDir: "/tmp/c",
    caCerts: undefined,
    dockerSocket: "/var/run/docker.sock",
    platformApi: "0.14",
    secretEnvNames: [],
    name: "n",
  };

  test("docker: detect, build and the trusted creator mount the secrets dir; no other phase does", () => {
    const mounted = (args: string[]) => args.find((a) => a.endsWith(":/platform:ro"));
    for (const spec of phaseSpecs(inputs))
      expect([spec.phase, mounted(phaseDockerArgs(spec, base))]).toEqual([
        spec.phase,
        spec.phase === "detect" || spec.phase === "build" ? "/tmp/ps:/platform:ro" : "/tmp/p:/platform:ro",
      ]);
    expect(mounted(phaseDockerArgs(creatorSpec(inputs), base))).toBe("/tmp/ps:/platform:ro");
    // No secrets: the one platform dir.
    const { secretsPlatformDir: _, ...plain } = base;
    expect(mounted(phaseDockerArgs(creatorSpec(inputs), plain))).toBe("/tmp/p:/platform:ro");
  });

  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  test("local: the secret sits beside the env, owner-only, and is gone once the builder phase ends", async () => {
    const root = mkdtempSync(join(tmpdir(), "secrets-local-"));
    dirs.push(root);
    mkdirSync(join(root, "app"));
    writeFileSync(join(root, "app", "app.py"), "print('hi')\n");
    const run: ProcessRunner = async () => ({ exitCode: 0, stdout: "", stderr: "" });
    const executor = new LocalExecutor({
      run,
      log: { info: () => undefined, warn: () => undefined },
      uid: 1000,
      gid: 1001,
      appDir: join(root, "app"),
      cacheDir: undefined,
      buildEnv: { A: "1" },
      buildSecrets: { PIP_INDEX_URL: URL_SECRET },
      caCerts: undefined,
      platformApi: "0.14",
      secretEnv: {},
      layersDir: join(root, "layers"),
      workspaceDir: join(root, "workspace"),
      currentUid: 1000,
      env: { PATH: "/usr/bin", CI_PRIVATE_INDEX: URL_SECRET },
    });
    // The job variable the secret came from is in no phase's environment.
    for (const spec of phaseSpecs(inputs, executor.paths)) {
      const env = executor.phaseEnv(spec);
      expect([env.CI_PRIVATE_INDEX, env.PATH]).toEqual([undefined, "/usr/bin"]);
    }
    await executor.prepare();
    const file = join(executor.paths.platform, "env", "PIP_INDEX_URL");
    expect(readFileSync(file, "utf8")).toBe(URL_SECRET);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const specs = phaseSpecs(inputs, executor.paths);
    for (const spec of specs) {
      await executor.runPhase(spec, () => undefined);
      // Present for detect and build, gone for every phase after the builder.
      const after = specs.indexOf(spec) >= specs.findIndex((s) => s.phase === "build");
      expect([spec.phase, existsSync(file)]).toEqual([spec.phase, !after]);
    }
    expect(readFileSync(join(executor.paths.platform, "env", "A"), "utf8")).toBe("1");
    await executor.cleanup();
  });
});
