import { describe, expect, test } from "vitest";
import {
  authFromDockerConfig,
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
      "ghcr.io": "Bearer tok",
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
    ).toEqual({ "ghcr.io": "Bearer tok" });
    expect(
      resolveRegistryAuth(["ghcr.io"], { DOCKER_CONFIG: "/none" }, () => {
        throw new Error("ENOENT");
      }),
    ).toEqual({});
  });

  test("secretsOf gives the values to mask", () => {
    expect(secretsOf({ a: "Basic xyz", b: "Bearer t" })).toEqual(["xyz", "t"]);
  });
});
