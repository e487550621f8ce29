import { describe, expect, test } from "vitest";
import {
  authFromDockerConfig,
  type HelperRunner,
  resolveRegistryAuth,
  secretsOf,
} from "../../../src/core/registry/credentials.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("registry credentials", () => {
  const config = JSON.stringify({
    auths: {
      "127.0.0.1:5000": { auth: b64("ci:secret") },
      "https://index.docker.io/v1/": { username: "u", password: "p" },
      "ghcr.io": { identitytoken: "tok" },
      "other.example": { auth: b64("x:y") },
    },
  });

  test("docker config -> CNB_REGISTRY_AUTH map for the registries in use", () => {
    expect(authFromDockerConfig(config, ["127.0.0.1:5000", "index.docker.io", "ghcr.io"])).toEqual({
      "127.0.0.1:5000": `Basic ${b64("ci:secret")}`,
      "index.docker.io": `Basic ${b64("u:p")}`,
      "ghcr.io": `Basic ${b64("<token>:tok")}`,
    });
  });

  test("CNB_REGISTRY_AUTH in the environment wins over docker config", () => {
    const env = { CNB_REGISTRY_AUTH: JSON.stringify({ "127.0.0.1:5000": "Basic abc", "x.io": "Basic d" }) };
    expect(resolveRegistryAuth(["127.0.0.1:5000"], env, () => config)).toEqual({
      "127.0.0.1:5000": "Basic abc",
    });
  });

  test("reads $DOCKER_CONFIG/config.json; missing file means anonymous", () => {
    expect(
      resolveRegistryAuth(["ghcr.io"], { DOCKER_CONFIG: "/cfg" }, (p) =>
        p === "/cfg/config.json" ? config : "",
      ),
    ).toEqual({ "ghcr.io": `Basic ${b64("<token>:tok")}` });
    expect(
      resolveRegistryAuth(["ghcr.io"], { DOCKER_CONFIG: "/none" }, () => {
        throw new Error("ENOENT");
      }),
    ).toEqual({});
  });

  test("secretsOf gives the values to mask, and the passwords inside Basic values", () => {
    expect(secretsOf({ a: `Basic ${b64("u:pw")}`, b: "Bearer t" })).toEqual([b64("u:pw"), "pw", "t"]);
  });
});

describe("credential helpers", () => {
  /** A fake helper runner: answers per program and server URL, records what was asked. */
  function helpers(
    answers: Record<string, Record<string, { Username: string; Secret: string } | "missing" | "none">>,
  ) {
    const asked: { program: string; args: readonly string[]; stdin: string }[] = [];
    const run: HelperRunner = (program, args, stdin) => {
      asked.push({ program, args, stdin });
      const answer = answers[program]?.[stdin];
      if (answer === "missing" || !answers[program])
        return { status: -1, stdout: "", stderr: "", missing: true };
      if (!answer || answer === "none")
        return { status: 1, stdout: "credentials not found in native keychain\n", stderr: "" };
      return { status: 0, stdout: JSON.stringify({ ServerURL: stdin, ...answer }), stderr: "" };
    };
    return { run, asked };
  }
  const readConfig = (config: object) => (p: string) => {
    if (p !== "/cfg/config.json") throw new Error("ENOENT");
    return JSON.stringify(config);
  };
  const env = { DOCKER_CONFIG: "/cfg" };

  test("credHelpers per registry, then credsStore, then auths; the server URL goes on stdin, never argv", () => {
    const { run, asked } = helpers({
      "docker-credential-ecr-login": {
        "1.dkr.ecr.eu-west-1.amazonaws.com": { Username: "AWS", Secret: "ecr-pw" },
      },
      "docker-credential-desktop": {
        "https://index.docker.io/v1/": { Username: "hubuser", Secret: "hub-pw" },
        "ghcr.io": "none",
      },
    });
    const config = {
      credsStore: "desktop",
      credHelpers: { "1.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login" },
      auths: { "ghcr.io": { auth: b64("gh:file-pw") } },
    };
    const registries = ["1.dkr.ecr.eu-west-1.amazonaws.com", "index.docker.io", "ghcr.io", "quay.io"];
    expect(resolveRegistryAuth(registries, env, readConfig(config), { runHelper: run })).toEqual({
      "1.dkr.ecr.eu-west-1.amazonaws.com": `Basic ${b64("AWS:ecr-pw")}`,
      "index.docker.io": `Basic ${b64("hubuser:hub-pw")}`,
      "ghcr.io": `Basic ${b64("gh:file-pw")}`,
    });
    expect(asked.every((a) => a.args.length === 1 && a.args[0] === "get")).toBe(true);
    expect(asked.map((a) => [a.program, a.stdin])).toEqual([
      ["docker-credential-ecr-login", "1.dkr.ecr.eu-west-1.amazonaws.com"],
      ["docker-credential-desktop", "https://index.docker.io/v1/"],
      ["docker-credential-desktop", "ghcr.io"],
      ["docker-credential-desktop", "quay.io"],
    ]);
  });

  test("a helper's <token> username is an identity token", () => {
    const { run } = helpers({
      "docker-credential-acr": { "x.azurecr.io": { Username: "<token>", Secret: "refresh" } },
    });
    const config = { credHelpers: { "x.azurecr.io": "acr" } };
    expect(resolveRegistryAuth(["x.azurecr.io"], env, readConfig(config), { runHelper: run })).toEqual({
      "x.azurecr.io": `Basic ${b64("<token>:refresh")}`,
    });
  });

  test("a helper that is not installed is reported and the registry tried without it", () => {
    const warnings: string[] = [];
    const { run } = helpers({});
    const config = { credsStore: "osxkeychain", auths: { "ghcr.io": { auth: b64("gh:pw") } } };
    expect(
      resolveRegistryAuth(["ghcr.io"], env, readConfig(config), {
        runHelper: run,
        warn: (m) => warnings.push(m),
      }),
    ).toEqual({ "ghcr.io": `Basic ${b64("gh:pw")}` });
    expect(warnings).toEqual([
      expect.stringMatching(/docker-credential-osxkeychain for ghcr.io, but it is not on PATH/),
    ]);
  });

  test("CNB_REGISTRY_AUTH wins: no helper runs", () => {
    const { run, asked } = helpers({});
    const e = { ...env, CNB_REGISTRY_AUTH: JSON.stringify({ "ghcr.io": "Bearer t" }) };
    expect(
      resolveRegistryAuth(["ghcr.io"], e, readConfig({ credsStore: "desktop" }), { runHelper: run }),
    ).toEqual({
      "ghcr.io": "Bearer t",
    });
    expect(asked).toEqual([]);
  });

  test("the real runner passes stdin and reads stdout (a helper script on PATH)", async () => {
    const { mkdtempSync, writeFileSync, chmodSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { runHelper } = await import("../../../src/core/registry/credentials.js");
    const dir = mkdtempSync(join(tmpdir(), "helper-"));
    const script = join(dir, "docker-credential-test");
    writeFileSync(
      script,
      '#!/bin/sh\nread server\necho "{\\"Username\\":\\"u-$1\\",\\"Secret\\":\\"$server\\"}"\n',
    );
    chmodSync(script, 0o755);
    try {
      const res = runHelper(script, ["get"], "reg.example\n");
      expect(res.status).toBe(0);
      expect(JSON.parse(res.stdout)).toEqual({ Username: "u-get", Secret: "reg.example" });
      expect(runHelper(join(dir, "docker-credential-none"), ["get"], "x").missing).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
