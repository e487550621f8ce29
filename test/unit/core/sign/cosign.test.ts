// Signing's pure parts and the signer's order of work (key opened first, secrets never in argv),
// with a fake process runner standing in for cosign.
import { describe, expect, test } from "vitest";
import { MlBuildpacksError } from "../../../../src/core/errors.js";
import type { Logger } from "../../../../src/core/log.js";
import type { ProcessRunner, RunOptions } from "../../../../src/core/process.js";
import {
  checkSignOptions,
  cosignDockerArgs,
  cosignReason,
  cosignSignArgs,
  dockerConfigJson,
  keyText,
  plainHttp,
} from "../../../../src/core/sign/cosign.js";
import { cosignPlace, openSigner } from "../../../../src/core/sign/index.js";

const KEY =
  "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nZXhhbXBsZSBrZXkgYm9keQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
const DIGEST = `sha256:${"a".repeat(64)}`;

const silent: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
  output: () => {},
  group: (_t, fn) => fn(),
};

describe("checkSignOptions", () => {
  const env = { COSIGN_PASSWORD: "pw", KEYVAR: KEY };
  test("env://VAR names a set variable", () => {
    expect(checkSignOptions({ key: "env://KEYVAR", offline: false }, env, () => false)).toEqual({
      envName: "KEYVAR",
    });
  });
  test.each([
    [{ key: "env://NOPE", offline: false }, env, /NOPE is not set/],
    [{ key: "cosign.key", offline: false }, env, /does not exist/],
    [{ key: "awskms://alias/x", offline: false }, env, /neither a file nor env:\/\/VAR/],
    [{ key: "env://KEYVAR", offline: false }, { KEYVAR: KEY }, /COSIGN_PASSWORD/],
  ])("%o is refused with what to change", (opts, e, message) => {
    expect(() => checkSignOptions(opts, e, () => false)).toThrow(message);
  });
  test("an empty password is a password (keys made without one)", () => {
    expect(checkSignOptions({ key: "k", offline: false }, { COSIGN_PASSWORD: "" }, () => true)).toEqual({
      file: "k",
    });
  });
});

test("keyText refuses a public key", () => {
  expect(() => keyText("-----BEGIN PUBLIC KEY-----\nabc\n", "cosign.pub")).toThrow(
    /not a cosign private key/,
  );
  expect(keyText(KEY, "k")).toBe(KEY);
});

test("cosign sign args: by digest, key by env name, offline and plain-http flags only when asked", () => {
  expect(cosignSignArgs(`r.example/app@${DIGEST}`, { offline: false, plainHttp: false })).toEqual([
    "sign",
    "--yes",
    "--key",
    "env://COSIGN_PRIVATE_KEY",
    `r.example/app@${DIGEST}`,
  ]);
  const offline = cosignSignArgs(`127.0.0.1:5000/app@${DIGEST}`, { offline: true, plainHttp: true });
  expect(offline).toContain("--tlog-upload=false");
  expect(offline).toContain("--allow-http-registry");
});

test("plainHttp: loopback and the insecure registries only", () => {
  expect(plainHttp("127.0.0.1:5000", [])).toBe(true);
  expect(plainHttp("localhost:5000", [])).toBe(true);
  expect(plainHttp("ghcr.io", [])).toBe(false);
  expect(plainHttp("reg.internal:80", ["reg.internal:80"])).toBe(true);
});

test("docker args pass the key and password by name, never by value", () => {
  const args = cosignDockerArgs({
    builderRef: "b:1",
    platform: "linux/amd64",
    user: "1001:1001",
    configDir: "/tmp/x",
    caCerts: "/ca.pem",
    args: ["sign", "--key", "env://COSIGN_PRIVATE_KEY"],
  });
  expect(args.join(" ")).not.toContain("BEGIN");
  expect(args).toEqual(
    expect.arrayContaining(["-e", "COSIGN_PRIVATE_KEY", "COSIGN_PASSWORD", "/cnb/ml-buildpacks/cosign"]),
  );
  expect(args).toContain("/tmp/x:/ml-buildpacks-sign:ro");
  expect(args).toContain("/ca.pem:/etc/ssl/certs/ca-certificates.crt:ro");
});

test("dockerConfigJson: Basic as auth, Bearer as registrytoken", () => {
  expect(JSON.parse(dockerConfigJson({ a: "Basic dTpw", b: "Bearer tok" }))).toEqual({
    auths: { a: { auth: "dTpw" }, b: { registrytoken: "tok" } },
  });
});

test("cosignReason picks cosign's Error line, not its warnings", () => {
  expect(
    cosignReason("WARNING: x\nError: decrypt: encrypted: decryption failed\nerror during command execution"),
  ).toBe("Error: decrypt: encrypted: decryption failed");
});

test("cosignPlace: $ML_BUILDPACKS_COSIGN, then the builder's own, then the builder via docker", () => {
  const builder = { docker: "docker", ref: "b:1", platform: "linux/amd64" };
  expect(cosignPlace({ ML_BUILDPACKS_COSIGN: "/x/cosign" }, () => true, builder)).toEqual({
    kind: "local",
    binary: "/x/cosign",
  });
  expect(cosignPlace({}, () => true, builder)).toEqual({
    kind: "local",
    binary: "/cnb/ml-buildpacks/cosign",
  });
  expect(cosignPlace({}, () => false, builder)).toMatchObject({ kind: "docker", builderRef: "b:1" });
  expect(cosignPlace({}, () => false, undefined)).toBeUndefined();
});

describe("openSigner", () => {
  function fakeCosign(exit: (args: readonly string[]) => number) {
    const calls: { args: readonly string[]; opts?: RunOptions }[] = [];
    const run: ProcessRunner = async (_cmd, args, opts) => {
      calls.push({ args, opts });
      const code = exit(args);
      return {
        exitCode: code,
        stdout: "",
        stderr: code ? "Error: decrypt: encrypted: decryption failed" : "",
      };
    };
    return { run, calls };
  }
  const deps = (run: ProcessRunner, masked: string[]) => ({
    run,
    env: { COSIGN_PASSWORD: "s3cret-pw", KEYVAR: KEY },
    isFile: () => false,
    readFile: () => "",
    log: silent,
    registerSecret: (s: string) => masked.push(s),
  });
  const access = { auth: { "r.example": "Basic dTpw" }, caCerts: undefined, insecureRegistries: [] };

  test("a wrong password fails when the key is opened, before any signing", async () => {
    const { run, calls } = fakeCosign(() => 1);
    const masked: string[] = [];
    const opening = openSigner(
      { key: "env://KEYVAR", offline: true },
      { kind: "local", binary: "cosign" },
      access,
      deps(run, masked),
    );
    await expect(opening).rejects.toThrow(MlBuildpacksError);
    await expect(opening).rejects.toThrow(/nothing was built or pushed/);
    expect(calls.map((c) => c.args[0])).toEqual(["public-key"]);
    expect(masked).toEqual([KEY, "s3cret-pw"]);
  });

  test("signs by digest with the key and password in env only, credentials in a Docker config", async () => {
    const { run, calls } = fakeCosign(() => 0);
    const signer = await openSigner(
      { key: "env://KEYVAR", offline: true },
      { kind: "local", binary: "cosign" },
      access,
      deps(run, []),
    );
    await signer.sign("team/app", "r.example", DIGEST, true);
    const sign = calls[1];
    expect(sign?.args).toEqual([
      "sign",
      "--yes",
      "--key",
      "env://COSIGN_PRIVATE_KEY",
      "--tlog-upload=false",
      `r.example/team/app@${DIGEST}`,
    ]);
    expect(sign?.opts?.env).toMatchObject({ COSIGN_PRIVATE_KEY: KEY, COSIGN_PASSWORD: "s3cret-pw" });
    expect(sign?.opts?.env?.DOCKER_CONFIG).toMatch(/ml-buildpacks-sign-/);
    for (const c of calls) expect(c.args.join(" ")).not.toMatch(/s3cret-pw|BEGIN/);
  });

  test("a failed signature says whether a tag already names the image", async () => {
    const { run } = fakeCosign((args) => (args[0] === "sign" ? 1 : 0));
    const signer = await openSigner(
      { key: "env://KEYVAR", offline: false },
      { kind: "local", binary: "cosign" },
      access,
      deps(run, []),
    );
    await expect(signer.sign("team/app", "r.example", DIGEST, true)).rejects.toThrow(/could not sign/);
    await expect(signer.sign("team/app", "r.example", DIGEST, false)).rejects.toMatchObject({
      detail: expect.stringMatching(/Nothing was tagged/),
    });
  });

  test("a builder without cosign is named", async () => {
    const { run } = fakeCosign(() => 127);
    const place = { kind: "docker" as const, docker: "docker", builderRef: "old:1", platform: undefined };
    await expect(
      openSigner({ key: "env://KEYVAR", offline: false }, place, access, deps(run, [])),
    ).rejects.toThrow(/old:1 has no \/cnb\/ml-buildpacks\/cosign/);
  });
});
