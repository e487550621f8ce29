// --sign-key / --sign-offline for build, manifest create and rebase: checked against env and files at
// parse time, with the same errors.
import { describe, expect, test } from "vitest";
import { parseCommand, USAGE } from "../../../src/cli/args.js";

const KEY = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nabc\n";
const env = { COSIGN_PASSWORD: "pw", SIGNING_KEY: KEY };
const isFile = (p: string) => p === "cosign.key";

/** What every command with --sign-key refuses, and the words its error says it with. */
const KEY_ERRORS: [string[], NodeJS.ProcessEnv, RegExp][] = [
  [["--sign-offline"], env, /--sign-offline needs --sign-key/],
  [["--sign-key", "missing.key"], env, /missing.key does not exist/],
  [["--sign-key", "env://NOPE"], env, /NOPE is not set/],
  [["--sign-key", "cosign.key"], {}, /COSIGN_PASSWORD/],
  [["--sign-key", "awskms:///alias/k"], env, /neither a file nor env:\/\/VAR/],
];

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

  test.each([...KEY_ERRORS, [["--sign-key", "cosign.key", "--no-publish"], env, /drop --no-publish/]])(
    "%o is a usage error naming what to change",
    (args, e, message) => {
      expect(() => parseCommand(["build", "app", "--image", "r.example/a:1", ...args], e, isFile)).toThrow(
        message,
      );
    },
  );
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

describe("rebase --sign-key", () => {
  const rebase = ["rebase", "--image", "r.example/a:1"];

  test("env://VAR or a file, --sign-offline with it; none: no signing", () => {
    const viaEnv = parseCommand([...rebase, "--sign-key", "env://SIGNING_KEY"], env, isFile);
    expect(viaEnv.kind === "rebase" && viaEnv.request.sign).toEqual({
      key: "env://SIGNING_KEY",
      offline: false,
    });
    const viaFile = parseCommand([...rebase, "--sign-key", "cosign.key", "--sign-offline"], env, isFile);
    expect(viaFile.kind === "rebase" && viaFile.request.sign).toEqual({ key: "cosign.key", offline: true });
    const none = parseCommand(rebase, env, isFile);
    expect(none.kind === "rebase" && "sign" in none.request).toBe(false);
  });

  test.each(KEY_ERRORS)("%o is refused as build refuses it", (args, e, message) => {
    const asRebase = () => parseCommand([...rebase, ...args], e, isFile);
    const asBuild = () => parseCommand(["build", "app", "--image", "r.example/a:1", ...args], e, isFile);
    expect(asRebase).toThrow(message);
    let buildError: unknown;
    try {
      asBuild();
    } catch (err) {
      buildError = err;
    }
    expect(asRebase).toThrow(buildError as Error);
  });

  test("--help lists both options under rebase", () => {
    const section = USAGE.slice(USAGE.indexOf("rebase options"));
    expect(section).toMatch(/^ {2}--sign-key KEY /m);
    expect(section).toMatch(/^ {2}--sign-offline /m);
  });
});
