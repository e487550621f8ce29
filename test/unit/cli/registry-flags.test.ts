// --ca-certs and --insecure-registry on the commands other than build: `manifest create` (whose
// registry client reads the children and pushes the index) and `builder create` (whose client
// reads the build image's platforms). manifest create runs against real registries here: one
// served over plain HTTP on a non-loopback name, one over TLS from a private CA.
import { rmSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { parseCommand } from "../../../src/cli/args.js";
import { runCli } from "../../../src/cli/run.js";
import { makePki, type Pki, TestRegistry } from "../core/registry-server.js";

describe("parsing", () => {
  const isFile = (files: string[]) => (p: string) => files.includes(p);

  test("manifest create: the flags, repeatable; the CA bundle defaults as build's does", () => {
    const argv = [
      "manifest",
      "create",
      "--image",
      "r.example/app:1",
      "--from",
      `r.example/app@sha256:${"a".repeat(64)}`,
    ];
    expect(
      parseCommand([
        ...argv,
        "--ca-certs",
        "ca.pem",
        "--insecure-registry",
        "a:5000",
        "--insecure-registry",
        "b",
      ]),
    ).toMatchObject({ kind: "manifest-create", caCerts: "ca.pem", insecureRegistries: ["a:5000", "b"] });
    expect(parseCommand(argv, { ML_BUILDPACKS_CA_CERTS: "/m.crt" }, isFile(["/m.crt"]))).toMatchObject({
      caCerts: "/m.crt",
      insecureRegistries: [],
    });
    expect(parseCommand(argv)).toMatchObject({ caCerts: undefined, insecureRegistries: [] });
  });

  test("builder create: the flags reach the request", () => {
    const argv = ["builder", "create", "--config", "b.toml", "--image", "r.example/builder:1"];
    expect(
      parseCommand([...argv, "--ca-certs", "ca.pem", "--insecure-registry", "mirror.internal:5000"]),
    ).toMatchObject({
      kind: "builder-create",
      request: { caCerts: "ca.pem", insecureRegistries: ["mirror.internal:5000"] },
    });
    expect(parseCommand(argv, { SSL_CERT_FILE: "/s.crt" }, isFile(["/s.crt"]))).toMatchObject({
      request: { caCerts: "/s.crt", insecureRegistries: [] },
    });
  });
});

describe("manifest create against real registries", () => {
  let pki: Pki;
  let plain: TestRegistry;
  let tls: TestRegistry;

  beforeAll(async () => {
    pki = makePki();
    // 127.0.0.2: not a loopback name for the registry client, so HTTPS unless listed as insecure.
    plain = await new TestRegistry({ auth: "none" }, undefined).start();
    tls = await new TestRegistry({ auth: "none" }, pki).start();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([plain.stop(), tls.stop()]);
    rmSync(pki.dir, { recursive: true, force: true });
  });

  afterEach(() => vi.unstubAllEnvs());

  /** A per-arch image in `registry`; its reference by digest. */
  function image(registry: TestRegistry, architecture: string): string {
    const config = Buffer.from(JSON.stringify({ os: "linux", architecture }));
    const digest = registry.putManifest("team/app", architecture, {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: registry.putBlob("team/app", config),
        size: config.length,
      },
      layers: [],
    });
    return `${registry.name}/team/app@${digest}`;
  }

  function quiet(): string[] {
    // Only the flags: no CA, credentials or proxy from the machine running the tests.
    vi.stubEnv("CNB_REGISTRY_AUTH", "{}");
    for (const name of ["SSL_CERT_FILE", "ML_BUILDPACKS_CA_CERTS", "HTTPS_PROXY", "https_proxy"])
      vi.stubEnv(name, "");
    const printed: string[] = [];
    const keep = (...a: unknown[]) => void printed.push(a.map(String).join(" "));
    vi.spyOn(console, "log").mockImplementation(keep);
    vi.spyOn(console, "error").mockImplementation(keep);
    vi.spyOn(process.stdout, "write").mockImplementation((c) => keep(c) || true);
    vi.spyOn(process.stderr, "write").mockImplementation((c) => keep(c) || true);
    return printed;
  }

  const create = (registry: TestRegistry, extra: string[]) =>
    runCli([
      "manifest",
      "create",
      "--image",
      `${registry.name}/team/app:multi`,
      "--from",
      image(registry, "amd64"),
      "--from",
      image(registry, "arm64"),
      ...extra,
    ]);

  test("--insecure-registry: the index is pushed over plain HTTP", async () => {
    quiet();
    expect(await create(plain, ["--insecure-registry", plain.name])).toBe(0);
    expect(plain.manifests.get("team/app:multi")?.type).toBe("application/vnd.oci.image.index.v1+json");
    vi.restoreAllMocks();
  });

  test("without it the registry is spoken to over HTTPS, and the command fails", async () => {
    const printed = quiet();
    plain.manifests.delete("team/app:multi");
    expect(await create(plain, [])).not.toBe(0);
    vi.restoreAllMocks();
    expect(printed.join("\n")).toMatch(/cannot reach the registry/);
    expect(plain.manifests.has("team/app:multi")).toBe(false);
  }, 30_000); // the client's backoff (0.5 + 1.5 + 4 s) runs before it gives up

  test("--ca-certs: a registry whose certificate a private CA signed", async () => {
    quiet();
    expect(await create(tls, ["--ca-certs", pki.caFile])).toBe(0);
    expect(tls.manifests.get("team/app:multi")?.type).toBe("application/vnd.oci.image.index.v1+json");
    vi.restoreAllMocks();
  });
});
