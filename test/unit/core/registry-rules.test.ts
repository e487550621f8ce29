// The pure rules of the registry client: challenges, proxies, retries, credentials, trust files.
import { describe, expect, test } from "vitest";
import { credentialOf, describeScope, tokenScopes } from "../../../src/core/registry/auth.js";
import { parseChallenges } from "../../../src/core/registry/challenge.js";
import { isInsecureRegistry } from "../../../src/core/registry/client.js";
import { proxyEnv, proxyFor, proxySettingsFromEnv } from "../../../src/core/registry/proxy.js";
import { isRetryableStatus, MAX_RETRY_AFTER_MS, retryDelay } from "../../../src/core/registry/retry.js";
import { pemCertificates, SYSTEM_TRUST_FILE, trustFiles } from "../../../src/core/registry/trust.js";

describe("WWW-Authenticate", () => {
  test("a Bearer challenge with quoted values holding commas", () => {
    expect(
      parseChallenges(
        'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/app:pull,push"',
      ),
    ).toEqual([
      {
        scheme: "bearer",
        params: { realm: "https://ghcr.io/token", service: "ghcr.io", scope: "repository:org/app:pull,push" },
      },
    ]);
  });

  test("several challenges, unquoted values, escapes, odd spacing and case", () => {
    expect(parseChallenges('Basic realm="Registry \\"x\\"", BEARER Realm=https://a/t , Service = s')).toEqual(
      [
        { scheme: "basic", params: { realm: 'Registry "x"' } },
        { scheme: "bearer", params: { realm: "https://a/t", service: "s" } },
      ],
    );
    expect(parseChallenges("")).toEqual([]);
    expect(parseChallenges("Negotiate abc==, Basic realm=r")).toEqual([
      { scheme: "negotiate", params: {} },
      { scheme: "basic", params: { realm: "r" } },
    ]);
  });
});

describe("scopes", () => {
  test("token scopes and the words for messages", () => {
    expect(tokenScopes("org/app:pull,push base/img:pull")).toEqual([
      "repository:org/app:pull,push",
      "repository:base/img:pull",
    ]);
    expect(describeScope("org/app:pull")).toBe("pull from org/app");
    expect(describeScope("org/app:pull,push base/img:pull")).toBe("push to org/app (mounting from base/img)");
    expect(describeScope("org/app:delete")).toBe("delete manifests in org/app");
  });
});

describe("proxies (Go's rules)", () => {
  const env = { HTTPS_PROXY: "proxy.corp:3128", http_proxy: "http://u:p@proxy.corp:8080" };
  const at = (url: string, noProxy = "") =>
    proxyFor(new URL(url), { ...proxySettingsFromEnv(env), noProxy })?.href;

  test("HTTPS_PROXY for https, HTTP_PROXY for http; a bare host:port is http://", () => {
    expect(at("https://ghcr.io/v2/")).toBe("http://proxy.corp:3128/");
    expect(at("http://reg.corp/v2/")).toBe("http://u:p@proxy.corp:8080/");
    expect(proxyFor(new URL("https://ghcr.io"), proxySettingsFromEnv({}))).toBeUndefined();
  });

  test("upper case wins over lower case", () => {
    const s = proxySettingsFromEnv({ HTTPS_PROXY: "http://upper:1", https_proxy: "http://lower:1" });
    expect(s.httpsProxy?.host).toBe("upper:1");
  });

  test("loopback is never proxied, listed or not", () => {
    expect(at("https://localhost:5000/v2/")).toBeUndefined();
    expect(at("https://127.0.0.2/v2/")).toBeUndefined();
    expect(at("https://[::1]:5000/v2/")).toBeUndefined();
  });

  test("NO_PROXY: names with their subdomains, leading dot or *. subdomains only, IPs, CIDR, ports, *", () => {
    expect(at("https://corp.example/v2/", "corp.example")).toBeUndefined();
    expect(at("https://reg.corp.example/v2/", "corp.example")).toBeUndefined();
    expect(at("https://notcorp.example/v2/", "corp.example")).toBeDefined();
    expect(at("https://corp.example/v2/", ".corp.example")).toBeDefined();
    expect(at("https://reg.corp.example/v2/", ".corp.example")).toBeUndefined();
    expect(at("https://reg.corp.example/v2/", "*.corp.example")).toBeUndefined();
    expect(at("https://10.1.2.3/v2/", "10.0.0.0/8")).toBeUndefined();
    expect(at("https://11.1.2.3/v2/", "10.0.0.0/8")).toBeDefined();
    expect(at("https://10.1.2.3/v2/", "10.1.2.3")).toBeUndefined();
    expect(at("https://reg.corp:5000/v2/", "reg.corp:5000")).toBeUndefined();
    expect(at("https://reg.corp/v2/", "reg.corp:5000")).toBeDefined();
    expect(at("https://REG.Corp/v2/", " other , reg.corp ")).toBeUndefined();
    expect(at("https://ghcr.io/v2/", "*")).toBeUndefined();
  });

  test("an https:// or socks proxy is refused with the variable's name", () => {
    expect(() => proxySettingsFromEnv({ HTTPS_PROXY: "socks5://p:1080" })).toThrow(
      /the proxy in HTTPS_PROXY/,
    );
  });

  test("the variables handed to phase containers are the ones set", () => {
    expect(proxyEnv({ HTTPS_PROXY: "http://p:1", no_proxy: "x", PATH: "/bin", HTTP_PROXY: "" })).toEqual({
      HTTPS_PROXY: "http://p:1",
      no_proxy: "x",
    });
  });
});

describe("retries", () => {
  test("what is retried", () => {
    expect([429, 500, 502, 503, 504, 408].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 405, 501].some(isRetryableStatus)).toBe(false);
  });

  test("Retry-After in seconds or as a date, capped; else the backoff schedule", () => {
    const now = Date.parse("2026-12-04T12:00:00Z");
    expect(retryDelay(0, [100, 200], null, now)).toBe(100);
    expect(retryDelay(5, [100, 200], null, now)).toBe(200);
    expect(retryDelay(0, [100], "3", now)).toBe(3000);
    expect(retryDelay(0, [100], "Fri, 04 Dec 2026 12:00:05 GMT", now)).toBe(5000);
    expect(retryDelay(0, [100], "86400", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryDelay(0, [100], "soon", now)).toBe(100);
  });
});

describe("credentials and plain-HTTP registries", () => {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  test("CNB_REGISTRY_AUTH values: Basic, identity token (<token> user), registry token", () => {
    expect(credentialOf(`Basic ${b64("u:p:x")}`)).toEqual({ kind: "basic", username: "u", password: "p:x" });
    expect(credentialOf(`Basic ${b64("<token>:rt")}`)).toEqual({ kind: "identity", token: "rt" });
    expect(credentialOf("Bearer abc")).toEqual({ kind: "registry-token", token: "abc" });
    expect(credentialOf(undefined)).toBeUndefined();
    expect(credentialOf("Digest x")).toBeUndefined();
  });

  test("loopback registries and the listed ones are plain HTTP; others HTTPS", () => {
    expect(isInsecureRegistry("127.0.0.1:5000")).toBe(true);
    expect(isInsecureRegistry("localhost:5000")).toBe(true);
    expect(isInsecureRegistry("reg.lan:5000", ["reg.lan:5000"])).toBe(true);
    expect(isInsecureRegistry("reg.lan:5000", ["reg.lan"])).toBe(false);
    expect(isInsecureRegistry("ghcr.io")).toBe(false);
  });
});

describe("trust", () => {
  test("SSL_CERT_FILE, else the system bundle when present; the extra CA from the option or ML_BUILDPACKS_CA_CERTS", () => {
    expect(trustFiles({ SSL_CERT_FILE: "/s.pem" }, "/x.pem", () => true)).toEqual({
      system: "/s.pem",
      extra: "/x.pem",
    });
    expect(trustFiles({}, undefined, () => true)).toEqual({ system: SYSTEM_TRUST_FILE, extra: undefined });
    expect(trustFiles({}, undefined, () => false)).toEqual({ system: undefined, extra: undefined });
    expect(trustFiles({ ML_BUILDPACKS_CA_CERTS: "/m.pem" }, undefined, () => false)).toEqual({
      system: undefined,
      extra: "/m.pem",
    });
    // The same file twice is read once.
    expect(trustFiles({ SSL_CERT_FILE: "/s.pem" }, "/s.pem", () => true).extra).toBeUndefined();
  });

  test("a PEM bundle splits into its certificates", () => {
    const cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    expect(pemCertificates(`# comment\n${cert}\n\n${cert}\n`)).toEqual([cert, cert]);
  });
});
