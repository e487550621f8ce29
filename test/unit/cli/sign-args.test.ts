// --sign-key / --sign-offline for build and manifest create: checked against env and files at parse time.
import { describe, expect, test } from "vitest";
import { parseCommand } from "../../../src/cli/args.js";

const KEY = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nabc\n";
const env = { COSIGN_PASSWORD: "pw", SIGNING_KEY: KEY };
const isFile = (p: string) => p === "cosign.key";

describe("build --sign-key", () => {
  test("env://VAR and a file are taken; --sign-offline goes with them", () => {
    const viaEnv = parseCommand(
      ["build", "app", "--image", "r.example/a:1", "--sign-key", "env://SIGNING_KEY"],
      env,
      isFile,
    );
    expect(viaEnv.kind === "build" && viaEnv.request.sign).toEqual({
      key: "env://SIGNING_KEY",
      offline: false,
    });
    const viaFile = parseCommand(
      ["build", "app", "--image", "r.example/a:1", "--sign-key", "cosign.key", "--sign-offline"],
      env,
      isFile,
    );
    expect(viaFile.kind === "build" && viaFile.request.sign).toEqual({ key: "cosign.key", offline: true });
  });

  test("no --sign-key: no signing", () => {
    const cmd = parseCommand(["build", "app", "--image", "r.example/a:1"], env, isFile);
    expect(cmd.kind === "build" && cmd.request.sign).toBeUndefined();
  });

  test.each([
    [["--sign-offline"], env, /--sign-offline needs --sign-key/],
    [["--sign-key", "cosign.key", "--no-publish"], env, /drop --no-publish/],
    [["--sign-key", "missing.key"], env, /missing.key does not exist/],
    [["--sign-key", "env://NOPE"], env, /NOPE is not set/],
    [["--sign-key", "cosign.key"], {}, /COSIGN_PASSWORD/],
  ])("%o is a usage error naming what to change", (args, e, message) => {
    expect(() => parseCommand(["build", "app", "--image", "r.example/a:1", ...args], e, isFile)).toThrow(
      message,
    );
  });
});

test("manifest create takes --sign-key, --sign-offline and --builder", () => {
  const cmd = parseCommand(
    [
      "manifest",
      "create",
      "--image",
      "r.example/a:1",
      "--from",
      "r.example/a:amd64",
      "--sign-key",
      "cosign.key",
      "--sign-offline",
      "--builder",
      "b:1",
    ],
    env,
    isFile,
  );
  expect(cmd).toMatchObject({
    kind: "manifest-create",
    sign: { key: "cosign.key", offline: true },
    builder: "b:1",
  });
});
