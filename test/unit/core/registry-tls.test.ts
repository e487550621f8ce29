// The registry client against a real https registry (CA made by openssl here), its token endpoint
// and a real CONNECT proxy: trust, the Bearer flow, Basic, retries, proxies.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RegistryClient } from "../../../src/core/registry/client.js";
import { makePki, type Pki, TestProxy, TestRegistry } from "./registry-server.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const basic = (user: string, password: string) => `Basic ${b64(`${user}:${password}`)}`;
const manifestBody = {
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  layers: [],
};

let pki: Pki;
let tokenRegistry: TestRegistry;
let basicRegistry: TestRegistry;
let plainRegistry: TestRegistry;
let proxy: TestProxy;

beforeAll(async () => {
  pki = makePki();
  tokenRegistry = await new TestRegistry(
    {
      auth: "token",
      users: { ci: "s3cret" },
      refreshTokens: { "refresh-1": "ci" },
      publicPrefix: "public/",
      deletes: true,
    },
    pki,
  ).start();
  basicRegistry = await new TestRegistry({ auth: "basic", users: { ci: "s3cret" } }, pki).start();
  plainRegistry = await new TestRegistry({ auth: "none" }, undefined).start("127.0.0.2", "plain.test");
  proxy = await new TestProxy({ "registry.test": "127.0.0.2", "plain.test": "127.0.0.2" }).start();
  tokenRegistry.putManifest("public/app", "1", manifestBody);
  tokenRegistry.putManifest("team/app", "1", manifestBody);
}, 60_000);

afterAll(async () => {
  await Promise.all([tokenRegistry.stop(), basicRegistry.stop(), plainRegistry.stop(), proxy.stop()]);
  rmSync(pki.dir, { recursive: true, force: true });
});

/** A client for the token registry as a user with credentials (or none) and our CA. */
const client = (auth?: string, extra: Partial<ConstructorParameters<typeof RegistryClient>[1]> = {}) =>
  new RegistryClient(tokenRegistry.name, {
    ...(auth ? { auth: { [tokenRegistry.name]: auth } } : {}),
    caCerts: pki.caFile,
    env: {},
    backoff: [],
    ...extra,
  });

describe("TLS", () => {
  test("the extra CA (--ca-certs) is trusted besides Node's roots; without it the certificate is refused", async () => {
    expect((await client().getManifest("public/app", "1"))?.body.schemaVersion).toBe(2);
    const untrusting = new RegistryClient(tokenRegistry.name, { env: {}, backoff: [] });
    await expect(untrusting.getManifest("public/app", "1")).rejects.toThrow(
      /cannot reach the registry 127\.0\.0\.2:\d+/,
    );
    await expect(untrusting.getManifest("public/app", "1")).rejects.toMatchObject({
      detail: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|certificate/i),
    });
  });

  test("the system trust store file (SSL_CERT_FILE) is read too", async () => {
    const viaSystem = new RegistryClient(tokenRegistry.name, {
      env: { SSL_CERT_FILE: pki.caFile },
      backoff: [],
    });
    expect((await viaSystem.getManifest("public/app", "1"))?.body.schemaVersion).toBe(2);
  });

  test("an unreadable CA bundle is an error naming the file", async () => {
    const broken = new RegistryClient(tokenRegistry.name, { caCerts: "/nonexistent/ca.pem", env: {} });
    await expect(broken.getManifest("public/app", "1")).rejects.toThrow(
      /the CA bundle \/nonexistent\/ca.pem cannot be used/,
    );
  });
});

describe("Bearer tokens", () => {
  test("anonymous pull token for a public repository; no credentials sent anywhere", async () => {
    tokenRegistry.tokenRequests.length = 0;
    expect(await client().getManifest("public/app", "1")).toBeDefined();
    expect(tokenRegistry.tokenRequests).toHaveLength(1);
    expect(tokenRegistry.tokenRequests[0]?.auth).toBeUndefined();
    expect(decodeURIComponent(tokenRegistry.tokenRequests[0]?.query ?? "")).toContain(
      "service=test-registry&scope=repository:public/app:pull",
    );
  });

  test("anonymous push is refused with a message naming the registry, the action and what to do", async () => {
    const err = (await client()
      .uploadBlob("team/app", Buffer.from("x"))
      .then(() => new Error("pushed"))
      .catch((e: unknown) => e)) as Error & { hint?: string };
    expect(err.message).toMatch(
      new RegExp(`the registry ${tokenRegistry.name} refused to let us push to team/app without credentials`),
    );
    expect(err.hint).toMatch(/docker login/);
  });

  test("Basic credentials are exchanged for a token once per scope and the token reused", async () => {
    tokenRegistry.tokenRequests.length = 0;
    const c = client(basic("ci", "s3cret"));
    await c.getManifest("team/app", "1");
    await c.getManifest("team/app", "1");
    await c.blobExists("team/app", "sha256:00");
    expect(tokenRegistry.tokenRequests).toHaveLength(1);
    expect(tokenRegistry.tokenRequests[0]?.auth).toBe(basic("ci", "s3cret"));
    // A push scope is a new token.
    await c.uploadBlob("team/app", Buffer.from("layer"));
    expect(tokenRegistry.tokenRequests).toHaveLength(2);
    expect(decodeURIComponent(tokenRegistry.tokenRequests[1]?.query ?? "")).toContain(
      "repository:team/app:pull,push",
    );
  });

  test("an expired token is renewed before use; a token the registry dropped is renewed on its 401", async () => {
    tokenRegistry.tokenRequests.length = 0;
    let now = Date.now();
    const c = client(basic("ci", "s3cret"), { now: () => now });
    await c.getManifest("team/app", "1");
    now += 301_000; // the token lives 300 s
    await c.getManifest("team/app", "1");
    expect(tokenRegistry.tokenRequests).toHaveLength(2);
    tokenRegistry.tokens.clear(); // revoked on the registry's side
    expect(await c.getManifest("team/app", "1")).toBeDefined();
    expect(tokenRegistry.tokenRequests).toHaveLength(3);
  });

  test("wrong credentials: the token service's refusal names the registry and asks to check the login", async () => {
    await expect(client(basic("ci", "wrong")).getManifest("team/app", "1")).rejects.toThrow(
      /the token service 127\.0\.0\.2:\d+ of 127\.0\.0\.2:\d+ gave us no token to pull from team\/app \(HTTP 401\)/,
    );
  });

  test("an identity token is used with OAuth2 (POST grant_type=refresh_token)", async () => {
    tokenRegistry.tokenRequests.length = 0;
    const c = client(basic("<token>", "refresh-1"));
    expect(await c.getManifest("team/app", "1")).toBeDefined();
    const [post] = tokenRegistry.tokenRequests;
    expect(post?.method).toBe("POST");
    const form = new URLSearchParams(post?.body);
    expect(form.get("grant_type")).toBe("refresh_token");
    expect(form.get("refresh_token")).toBe("refresh-1");
    expect(form.get("service")).toBe("test-registry");
    expect(form.get("scope")).toBe("repository:team/app:pull");
  });

  test("deleteManifest: deleted when it was; a 404 is not a deletion", async () => {
    const c = client(basic("ci", "s3cret"));
    const digest = tokenRegistry.putManifest("team/app", "gone", manifestBody);
    expect(await c.deleteManifest("team/app", digest)).toMatchObject({ deleted: true });
    expect(await c.deleteManifest("team/app", digest)).toEqual({
      deleted: false,
      why: "not found",
      status: 404,
    });
  });
});

describe("identity tokens where the token server has no OAuth2 endpoint", () => {
  let noOAuth: TestRegistry;
  beforeAll(async () => {
    noOAuth = await new TestRegistry(
      { auth: "token", users: { "<token>": "refresh-2" }, noOAuth: true },
      pki,
    ).start();
    noOAuth.putManifest("team/app", "1", manifestBody);
  });
  afterAll(() => noOAuth.stop());

  test("falls back to GET with the token as Basic password", async () => {
    const c = new RegistryClient(noOAuth.name, {
      auth: { [noOAuth.name]: basic("<token>", "refresh-2") },
      caCerts: pki.caFile,
      env: {},
    });
    expect(await c.getManifest("team/app", "1")).toBeDefined();
    expect(noOAuth.tokenRequests.map((r) => r.method)).toEqual(["POST", "GET"]);
    expect(noOAuth.tokenRequests[1]?.auth).toBe(basic("<token>", "refresh-2"));
  });
});

describe("Basic auth registries", () => {
  test("credentials are sent once the registry asks for Basic, then with every request", async () => {
    basicRegistry.seen.length = 0;
    basicRegistry.putManifest("team/app", "1", manifestBody);
    const c = new RegistryClient(basicRegistry.name, {
      auth: { [basicRegistry.name]: basic("ci", "s3cret") },
      caCerts: pki.caFile,
      env: {},
    });
    await c.getManifest("team/app", "1");
    await c.getManifest("team/app", "1");
    expect(basicRegistry.seen.map((s) => s.auth)).toEqual([
      undefined,
      basic("ci", "s3cret"),
      basic("ci", "s3cret"),
    ]);
  });

  test("no credentials for a Basic registry: a refusal that says none were found", async () => {
    const c = new RegistryClient(basicRegistry.name, { caCerts: pki.caFile, env: {} });
    await expect(c.getManifest("team/app", "1")).rejects.toThrow(
      /refused to let us pull from team\/app without credentials \(HTTP 401\)/,
    );
  });
});

describe("retries", () => {
  test("503, 429 with Retry-After and a reset connection are retried; the request then succeeds", async () => {
    const sleeps: number[] = [];
    const path = "/v2/public/app/manifests/1";
    tokenRegistry.faults.push(
      { match: (m, p) => m === "GET" && p === path, answer: { status: 503 } },
      {
        match: (m, p) => m === "GET" && p === path,
        answer: { status: 429, headers: { "retry-after": "2" } },
      },
      { match: (m, p) => m === "GET" && p === path, answer: "reset" },
    );
    const c = client(undefined, { backoff: [10, 20, 30, 40], sleep: async (ms) => void sleeps.push(ms) });
    expect(await c.getManifest("public/app", "1")).toBeDefined();
    expect(sleeps).toEqual([10, 2000, 30]);
    expect(tokenRegistry.faults).toHaveLength(0);
  });

  test("after the schedule, the registry's status is the error", async () => {
    const path = "/v2/public/app/manifests/1";
    for (let i = 0; i < 2; i++)
      tokenRegistry.faults.push({ match: (m, p) => m === "GET" && p === path, answer: { status: 502 } });
    const c = client(undefined, { backoff: [1], sleep: async () => {} });
    await expect(c.getManifest("public/app", "1")).rejects.toThrow(
      /refused to read manifest public\/app@1 \(HTTP 502\)/,
    );
  });
});

describe("proxies", () => {
  test("HTTPS_PROXY: a CONNECT tunnel to a registry only the proxy can resolve; TLS end to end", async () => {
    const name = `registry.test:${tokenRegistry.port}`;
    const c = new RegistryClient(name, { caCerts: pki.caFile, env: { HTTPS_PROXY: proxy.url } });
    expect(await c.getManifest("public/app", "1")).toBeDefined();
    expect(proxy.connects).toContain(name);
    // The token realm is on 127.0.0.2: loopback, never proxied (Go's rule).
    expect(proxy.connects).not.toContain(tokenRegistry.name);
  });

  test("NO_PROXY naming the registry's domain: direct (and registry.test does not resolve here)", async () => {
    const name = `registry.test:${tokenRegistry.port}`;
    const c = new RegistryClient(name, {
      caCerts: pki.caFile,
      env: { https_proxy: proxy.url, NO_PROXY: "example.com,.test" },
      backoff: [],
    });
    await expect(c.getManifest("public/app", "1")).rejects.toThrow(
      /cannot reach the registry registry\.test:\d+.*/,
    );
  });

  test("a plain-HTTP registry (insecureRegistries) through HTTP_PROXY: absolute-URI requests", async () => {
    plainRegistry.putManifest("team/app", "1", manifestBody);
    const name = `plain.test:${plainRegistry.port}`;
    const c = new RegistryClient(name, { insecureRegistries: [name], env: { HTTP_PROXY: proxy.url } });
    expect(await c.getManifest("team/app", "1")).toBeDefined();
    expect(proxy.forwarded).toContain(`GET http://${name}/v2/team/app/manifests/1`);
  });

  test("a proxy refusing the tunnel is reported with its answer", async () => {
    const c = new RegistryClient("nowhere.test:443", {
      caCerts: pki.caFile,
      env: { HTTPS_PROXY: proxy.url },
      backoff: [],
    });
    const err = (await c
      .getManifest("a/b", "1")
      .then(() => new Error("answered"))
      .catch((e: unknown) => e)) as Error & { detail?: string };
    expect(err.message).toMatch(/cannot reach the registry nowhere\.test:443/);
    expect(err.detail).toMatch(/the proxy 127\.0\.0\.1:\d+ answered CONNECT nowhere\.test:443 with HTTP 502/);
  });
});
