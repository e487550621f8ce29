// pre-export's pushes against a real registry: plain HTTP where the platform names the registry
// insecure, TLS with the build's CA bundle, and a failed layer upload retried by tarring and
// compressing the layer again (the diffID and digest are those of what was pushed).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import type { PreExportRequest, PreExportResult } from "../../../src/core/pre-export/contract.js";
import { testTempDir } from "../../../src/libcnb/testing.js";
import { layerTarChunks, layerTarEntries } from "../../../src/pre-export/layer-tar.js";
import { preExport } from "../../../src/pre-export/pre-export.js";
import { makePki, type Pki, TestRegistry } from "../core/registry-server.js";

let pki: Pki;
let plain: TestRegistry;
let tls: TestRegistry;

beforeAll(async () => {
  pki = makePki();
  // 127.0.0.2: not a loopback name for the registry client, so HTTPS unless listed as insecure.
  plain = await new TestRegistry({ auth: "none", deletes: true }, undefined).start();
  tls = await new TestRegistry({ auth: "none", deletes: true }, pki).start();
}, 60_000);

afterAll(async () => {
  await Promise.all([plain.stop(), tls.stop()]);
  rmSync(pki.dir, { recursive: true, force: true });
});

afterEach(() => vi.unstubAllEnvs());

/** A build's out and layers dirs with one launch layer of 3 MiB (two files). */
function buildDirs(): { dir: string; layerDir: string } {
  const dir = testTempDir("pre-export-push-");
  const bpDir = join(dir, "layers", "ml-buildpacks_pip");
  const layerDir = join(bpDir, "venv");
  mkdirSync(join(layerDir, "lib"), { recursive: true });
  writeFileSync(join(bpDir, "venv.toml"), "[types]\nlaunch = true\n");
  const data = Buffer.alloc(3 * 1024 * 1024);
  for (let i = 0; i < data.length; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
  writeFileSync(join(layerDir, "lib", "model.bin"), data);
  writeFileSync(join(layerDir, "lib", "small.py"), "print('hi')\n");
  mkdirSync(join(dir, "out"));
  writeFileSync(join(dir, "out", "group.toml"), '[[group]]\nid = "ml-buildpacks/pip"\nversion = "0.1.0"\n');
  writeFileSync(join(dir, "out", "analyzed.toml"), '[run-image]\nreference = "example.test/run:1"\n');
  mkdirSync(join(dir, "app"));
  return { dir, layerDir };
}

function request(dir: string, image: string, extra: Partial<PreExportRequest>): PreExportRequest {
  return {
    image,
    platform: "linux/amd64",
    compression: { level: 1 },
    minBytes: 1024 * 1024,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    layersDir: join(dir, "layers"),
    appDir: join(dir, "app"),
    stage: true,
    analyzedPath: join(dir, "out", "analyzed.toml"),
    groupPath: join(dir, "out", "group.toml"),
    resultPath: join(dir, "out", "result.json"),
    ...extra,
  };
}

function tarDiffId(layerDir: string): string {
  const listed = layerTarEntries(layerDir, { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 });
  if ("reason" in listed) throw new Error(listed.reason);
  const hash = createHash("sha256");
  for (const chunk of layerTarChunks(listed.entries)) hash.update(chunk);
  return `sha256:${hash.digest("hex")}`;
}

const result = (dir: string) =>
  JSON.parse(readFileSync(join(dir, "out", "result.json"), "utf8")) as PreExportResult;

function quiet(): void {
  // Only the request's settings: no CA or credentials from the machine running the tests.
  vi.stubEnv("CNB_REGISTRY_AUTH", "{}");
  vi.stubEnv("SSL_CERT_FILE", "");
  vi.stubEnv("ML_BUILDPACKS_CA_CERTS", "");
  for (const name of ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"]) vi.stubEnv(name, "");
}

describe("a plain-HTTP registry that is not on a loopback name", () => {
  test("listed in insecureRegistries: the layer and the staging image are pushed over HTTP", async () => {
    quiet();
    const { dir, layerDir } = buildDirs();
    const lines: string[] = [];
    await preExport(
      request(dir, `${plain.name}/team/app:latest`, { insecureRegistries: [plain.name] }),
      (l) => lines.push(l),
    );
    const out = result(dir);
    expect(out.layers).toHaveLength(1);
    expect(out.layers[0]?.diffId).toBe(tarDiffId(layerDir));
    expect(plain.blobs.has(`team/app@${out.layers[0]?.digest}`)).toBe(true);
    expect(out.stagingDigest && plain.manifests.has(`team/app:${out.stagingDigest}`)).toBe(true);
    expect(lines.join("\n")).toMatch(/Pre-exported layer 'ml-buildpacks\/pip:venv'/);
    expect(readFileSync(join(dir, "out", "analyzed.toml"), "utf8")).toContain(out.stagingDigest);
  });

  test("not listed: pre-export speaks HTTPS to it and fails, leaving analyzed.toml as it was", async () => {
    quiet();
    const { dir } = buildDirs();
    const before = readFileSync(join(dir, "out", "analyzed.toml"), "utf8");
    await expect(preExport(request(dir, `${plain.name}/team/app:latest`, {}), () => {})).rejects.toThrow(
      new RegExp(`cannot reach the registry ${plain.name.replace(/\./g, "\\.")}`),
    );
    expect(readFileSync(join(dir, "out", "analyzed.toml"), "utf8")).toBe(before);
    expect(result(dir).layers).toEqual([]);
  }, 30_000); // the client's backoff (0.5 + 1.5 + 4 s) runs before it gives up
});

describe("a registry whose certificate is signed by a private CA", () => {
  test("with the build's CA bundle (caCerts) the push works over TLS", async () => {
    quiet();
    const { dir, layerDir } = buildDirs();
    await preExport(request(dir, `${tls.name}/team/app:latest`, { caCerts: pki.caFile }), () => {});
    const out = result(dir);
    expect(out.layers[0]?.diffId).toBe(tarDiffId(layerDir));
    expect(tls.blobs.has(`team/app@${out.layers[0]?.digest}`)).toBe(true);
  });

  test("without it the certificate is not trusted", async () => {
    quiet();
    const { dir } = buildDirs();
    await expect(preExport(request(dir, `${tls.name}/team/app:latest`, {}), () => {})).rejects.toThrow(
      /cannot reach the registry/,
    );
  }, 30_000);
});

test("a failed layer upload (503, then a dropped connection) tars and compresses the layer again; diffID and digest are what was pushed", async () => {
  quiet();
  const { dir, layerDir } = buildDirs();
  const patch = (m: string, url: string) => m === "PATCH" && url.startsWith("/v2/team/retried/");
  plain.faults.push({ match: patch, answer: { status: 503 } });
  plain.faults.push({ match: patch, answer: "reset" });
  plain.seen.length = 0;
  await preExport(
    request(dir, `${plain.name}/team/retried:latest`, { insecureRegistries: [plain.name] }),
    () => {},
  );
  expect(plain.faults).toHaveLength(0);
  const out = result(dir);
  const layer = out.layers[0];
  expect(layer?.diffId).toBe(tarDiffId(layerDir));
  expect(plain.blobs.get(`team/retried@${layer?.digest}`)?.size).toBe(layer?.size);
  // Three sessions for the layer (two failed), one for the staging config.
  expect(
    plain.seen.filter((s) => s.method === "POST" && s.url === "/v2/team/retried/blobs/uploads/"),
  ).toHaveLength(4);
}, 60_000);
