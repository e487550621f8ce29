// Faults injected into real builds (the lab's lifecycle, Docker, registry and PyPI), each checked for
// "nothing lost": no tag pointing at a partial image, the layer cache intact or repaired, a clear
// message. The registry faults go through test/e2e/support/fault-proxy.ts in front of the real
// registry; disk-full cases use small tmpfs mounts (a second registry process for the registry).
// One small app (examples/uv-app), amd64 only; the first test's builds make the cache the others copy.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { lockPathOf } from "../../src/core/cache/lock.js";
import { repairCacheDir } from "../../src/core/cache/verify.js";
import { runProcess } from "../../src/core/process.js";
import { cli, copyApp, DOCKER, docker, REGISTRY, REPO, RUN_ID, readReport, registryHas } from "./helpers.js";
import { FaultProxy } from "./support/fault-proxy.js";

const BASE = `e2e/faults-${RUN_ID}`;
const PRINTS = "uv-app: tabulate 0.9.0";
let proxy: FaultProxy;
let app: string;
/** The layer cache the first test's two builds committed; each later build gets a copy. */
let goodCache: string;
let goodDigest: string;
const cleanups: (() => Promise<unknown>)[] = [];
/** Temp dirs of this file, removed at the end (after the tmpfs mounts in them are gone). */
const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};

beforeAll(async () => {
  proxy = await FaultProxy.start(REGISTRY);
  app = copyApp("uv-app");
  goodCache = tempDir("e2e-faults-cache-");
});

afterAll(async () => {
  await proxy?.close();
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  for (const dir of [...made, app]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function cacheCopy(): string {
  const dir = tempDir("e2e-faults-cache-");
  cpSync(goodCache, dir, { recursive: true });
  return dir;
}

/** sha256 of every file in committed/, to show a cache came through a fault unchanged. */
function committedState(cache: string): Record<string, string> {
  const dir = join(cache, "committed");
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir))
    out[name] = createHash("sha256")
      .update(readFileSync(join(dir, name)))
      .digest("hex");
  return out;
}

async function runs(image: string): Promise<string> {
  const result = await docker(["run", "--rm", "--network", "host", "--pull", "always", image]);
  return result.output;
}

/** The phase containers of the build that uses `cache` (other builds may run on this machine). */
async function containersOf(cache: string): Promise<string[]> {
  const ps = await docker(["ps", "--filter", "name=ml-buildpacks-", "--format", "{{.Names}}"]);
  const names = ps.output.split("\n").filter((n) => n.startsWith("ml-buildpacks-"));
  const mine: string[] = [];
  for (const name of names) {
    const mounts = await docker(["inspect", "--format", "{{range .Mounts}}{{.Source}} {{end}}", name]);
    if (mounts.output.split(" ").includes(cache)) mine.push(name);
  }
  return mine;
}

/** The CLI as a child process the test can signal; its output is collected. */
function startCli(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; output: string }>;
} {
  const child = spawn(process.execPath, [join(REPO, "bin", "ml-buildpacks.js"), ...args], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk.toString().replace(/^/gm, "    | "));
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const done = new Promise<{ code: number | null; signal: string | null; output: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, output })),
  );
  return { child, done };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function indexHas(registry: string, repository: string, tag: string): Promise<boolean> {
  const res = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    method: "HEAD",
    headers: { Accept: "application/vnd.oci.image.index.v1+json" },
  });
  return res.ok;
}

async function tmpfs(sizeMb: number): Promise<string> {
  const dir = tempDir("e2e-faults-tmpfs-");
  const mounted = await runProcess("mount", ["-t", "tmpfs", "-o", `size=${sizeMb}m`, "tmpfs", dir]);
  expect(mounted.exitCode, mounted.stderr).toBe(0);
  cleanups.push(() => runProcess("umount", ["-l", dir]));
  return dir;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe("the layer cache", () => {
  test("two builds with one cache dir at once: the second waits, both push, the cache is whole", async () => {
    const report = join(tempDir("e2e-faults-report-"), "report.json");
    const [a, b] = await Promise.all([
      cli([
        "build",
        app,
        "--image",
        `${REGISTRY}/${BASE}:good`,
        "--cache-dir",
        goodCache,
        "--report",
        report,
      ]),
      cli(["build", app, "--image", `${REGISTRY}/${BASE}-twin:1`, "--cache-dir", goodCache]),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(`${a.output}\n${b.output}`).toContain("waiting for another build using the layer cache");
    goodDigest = readReport(report).digest;
    expect(await repairCacheDir(goodCache)).toEqual([]);
    expect(existsSync(lockPathOf(goodCache))).toBe(false);
    expect(Object.keys(committedState(goodCache)).filter((n) => n.endsWith(".tar"))).toHaveLength(2);
    expect(await runs(`${REGISTRY}/${BASE}-twin:1`)).toContain(PRINTS);
  });

  test("a truncated cached layer: a warning, that layer rebuilt, the build green and the image runs", async () => {
    const cache = cacheCopy();
    const tars = readdirSync(join(cache, "committed")).filter((n) => n.endsWith(".tar"));
    const biggest = tars
      .map((n) => ({ n, size: readFileSync(join(cache, "committed", n)).length }))
      .sort((x, y) => y.size - x.size)[0]?.n as string;
    const path = join(cache, "committed", biggest);
    writeFileSync(path, readFileSync(path).subarray(0, 100_000));
    const result = await cli([
      "build",
      app,
      "--image",
      `${REGISTRY}/${BASE}-corrupt:1`,
      "--cache-dir",
      cache,
    ]);
    expect(result.code).toBe(0);
    expect(result.output).toMatch(
      /the cached layer ml-buildpacks\/uv:uv in .* is damaged \(truncated or corrupted/,
    );
    expect(result.output).toContain("Downloading uv");
    expect(await runs(`${REGISTRY}/${BASE}-corrupt:1`)).toContain(PRINTS);
    // The rebuilt layer was committed again, whole.
    expect(await repairCacheDir(cache)).toEqual([]);
    expect(readdirSync(join(cache, "committed"))).toContain(biggest);
  });

  test("the cache dir's disk is full: the lifecycle's warning, a complete image, nothing half-committed", async () => {
    const cache = await tmpfs(4);
    const result = await cli([
      "build",
      app,
      "--image",
      `${REGISTRY}/${BASE}-cachefull:1`,
      "--cache-dir",
      cache,
    ]);
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/Failed to export cache.*no space left on device/i);
    expect(await runs(`${REGISTRY}/${BASE}-cachefull:1`)).toContain(PRINTS);
    expect(await repairCacheDir(cache)).toEqual([]);
  });
});

describe("the registry", () => {
  test("503s and a connection cut mid-upload are retried; every blob is pushed before the tag", async () => {
    const repo = `${BASE}-flaky`;
    proxy.clear();
    proxy.answer(503, 2, { method: "PATCH" });
    proxy.dropAfter(64 * 1024, 1, { method: "PATCH" });
    proxy.answer(503, 1, { method: "PUT", path: /\/manifests\/1$/ });
    const result = await cli([
      "build",
      app,
      "--image",
      `${proxy.address}/${repo}:1`,
      "--cache-dir",
      cacheCopy(),
    ]);
    expect(result.code).toBe(0);
    expect(proxy.pending()).toBe(0);
    // This third build on the first test's cache reuses it.
    expect(result.output).toContain('Restoring data for "ml-buildpacks/uv:uv" from cache');
    expect(result.output).not.toContain("is damaged");
    const writes = proxy.log.filter((s) => s.method === "PUT" || s.method === "PATCH");
    const tagged = writes.findIndex((s) => /\/manifests\/1$/.test(s.path) && s.outcome === 201);
    const lastBlob = writes.map((s) => s.path.includes("/blobs/uploads/")).lastIndexOf(true);
    expect(tagged).toBeGreaterThan(lastBlob);
    expect(await runs(`${REGISTRY}/${repo}:1`)).toContain(PRINTS);
  });

  test("the registry goes down mid-push: a clear failure after the retries, no tag", async () => {
    const repo = `${BASE}-down`;
    proxy.clear();
    proxy.downAt({ method: "PATCH" });
    const cache = cacheCopy();
    const before = committedState(cache);
    const result = await cli(["build", app, "--image", `${proxy.address}/${repo}:1`, "--cache-dir", cache]);
    await proxy.up();
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("the registry stopped answering during the push");
    expect(result.output).toMatch(/What to do/);
    expect(await registryHas(repo, "1")).toBe(false);
    expect(committedState(cache)).toEqual(before);
  });

  test("manifest create through a flaky registry: retried, children before the index", async () => {
    const repo = `${BASE}-index`;
    proxy.clear();
    proxy.answer(503, 1, { method: "POST" });
    proxy.dropAfter(32 * 1024, 1, { method: "PATCH" });
    // Cut after the whole index was sent: the registry stored it but the answer is lost.
    proxy.dropAfter(1 << 20, 1, { method: "PUT", path: /\/manifests\/multi$/ });
    const result = await cli([
      "manifest",
      "create",
      "--image",
      `${proxy.address}/${repo}:multi`,
      "--from",
      `linux/amd64=${REGISTRY}/${BASE}:good@${goodDigest}`,
    ]);
    expect(result.code).toBe(0);
    expect(proxy.pending()).toBe(0);
    const puts = proxy.log.filter((s) => s.method === "PUT" && s.path.includes("/manifests/"));
    expect(puts.map((s) => s.path.replace(/.*\/manifests\//, ""))).toEqual([goodDigest, "multi", "multi"]);
    expect(await indexHas(REGISTRY, repo, "multi")).toBe(true);
    expect(await runs(`${REGISTRY}/${repo}:multi`)).toContain(PRINTS);
  });

  test("manifest create when the registry goes down before the index: a clear failure, no index tag", async () => {
    const repo = `${BASE}-index-down`;
    proxy.clear();
    proxy.downAt({ method: "PUT", path: /\/manifests\/multi$/ });
    const result = await cli([
      "manifest",
      "create",
      "--image",
      `${proxy.address}/${repo}:multi`,
      "--from",
      `linux/amd64=${REGISTRY}/${BASE}:good@${goodDigest}`,
    ]);
    await proxy.up();
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      `the registry ${proxy.address} stopped answering while we tried to push to ${repo} (4 attempts)`,
    );
    expect(result.output).toContain("nothing was tagged by this step");
    expect(await indexHas(REGISTRY, repo, "multi")).toBe(false);
  });

  test("the registry's disk is full: a clear failure, no tag", async () => {
    const { address } = await smallRegistry(8);
    const result = await buildTo(`${address}/${BASE}-full:1`);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("the registry's storage is full");
    const tag = await fetch(`http://${address}/v2/${BASE}-full/manifests/1`, { method: "HEAD" });
    expect(tag.status).toBe(404);
  });

  test("a full disk the exporter sees only as a bodyless HEAD 500: the registry is asked, the disk named", async () => {
    const { address, storage } = await smallRegistry(8);
    const front = await FaultProxy.start(address);
    cleanups.push(() => front.close());
    // Every HEAD of a blob gets a bare 500, as when a retried upload meets a half-written blob; the
    // disk fills once the exporter starts (the analyzer's write check must pass first).
    front.answer(500, 10_000, { method: "HEAD", path: /\/blobs\/sha256:/ });
    const build = startCli([
      "build",
      app,
      "--image",
      `${front.address}/${BASE}-head500:1`,
      "--cache-dir",
      cacheCopy(),
    ]);
    await waitFor("the exporter's first HEAD of a blob", async () =>
      front.log.some((s) => s.method === "HEAD" && s.path.includes("/blobs/")) ? true : undefined,
    );
    await runProcess("dd", ["if=/dev/zero", `of=${join(storage, "filler")}`, "bs=64k"]);
    const result = await build.done;
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/HEAD http:\/\/\S+\/blobs\/sha256:\w+: unexpected status code 500/);
    expect(result.output).toContain(
      `the registry's answer to GET http://${front.address}/v2/${BASE}-head500/blobs/`,
    );
    expect(result.output).toMatch(/the registry's answer to starting a new upload: HTTP 500: .*"Err":28/);
    expect(result.output).toContain("the registry's storage is full");
    const tag = await fetch(`http://${address}/v2/${BASE}-head500/manifests/1`, { method: "HEAD" });
    expect(tag.status).toBe(404);
  });

  test("a registry full before the build: the analyzer's write check fails, and says the storage is full", async () => {
    const { address, storage } = await smallRegistry(8);
    await runProcess("dd", ["if=/dev/zero", `of=${join(storage, "filler")}`, "bs=64k"]);
    const result = await buildTo(`${address}/${BASE}-full-before:1`);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("validating registry write access");
    expect(result.output).toContain("the registry's storage is full");
  });
});

/** A docker-registry on its own tmpfs of `mb` MiB: its address and storage dir. */
async function smallRegistry(mb: number): Promise<{ address: string; storage: string }> {
  const storage = await tmpfs(mb);
  const port = await freePort();
  const config = join(tempDir("e2e-faults-registry-"), "config.yml");
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const registry = spawn("docker-registry", ["serve", config], { stdio: "ignore" });
  cleanups.push(async () => registry.kill());
  const address = `127.0.0.1:${port}`;
  await waitFor("the small registry", async () =>
    (await fetch(`http://${address}/v2/`).catch(() => undefined))?.ok ? true : undefined,
  );
  return { address, storage };
}

function buildTo(image: string) {
  return cli(["build", app, "--image", image, "--cache-dir", cacheCopy()]);
}

describe("interruptions", () => {
  test("a lifecycle container killed mid-build: a clear error, nothing pushed, the cache kept", async () => {
    const repo = `${BASE}-killed`;
    const cache = cacheCopy();
    const before = committedState(cache);
    const build = startCli(["build", app, "--image", `${REGISTRY}/${repo}:1`, "--cache-dir", cache]);
    const victim = await waitFor("the build phase's container", async () =>
      (await containersOf(cache)).find((n) => n.startsWith("ml-buildpacks-build-")),
    );
    await runProcess(DOCKER, ["kill", victim]);
    const result = await build.done;
    expect(result.code).toBe(1);
    expect(result.output).toContain("the build phase was killed");
    expect(await registryHas(repo, "1")).toBe(false);
    expect(committedState(cache)).toEqual(before);
    expect(existsSync(lockPathOf(cache))).toBe(false);
  });

  test("the CLI cancelled (SIGTERM) mid-build: containers stopped, nothing pushed, the cache kept", async () => {
    const repo = `${BASE}-cancelled`;
    const cache = cacheCopy();
    const before = committedState(cache);
    const build = startCli(["build", app, "--image", `${REGISTRY}/${repo}:1`, "--cache-dir", cache]);
    await waitFor("the build phase's container", async () =>
      (await containersOf(cache)).find((n) => n.startsWith("ml-buildpacks-build-")),
    );
    build.child.kill("SIGTERM");
    const result = await build.done;
    expect(result.code).toBe(143);
    expect(result.output).toContain("cancelled (SIGTERM): stopping the lifecycle's containers");
    expect(result.output).not.toContain("was killed");
    expect(await containersOf(cache)).toEqual([]);
    expect(await registryHas(repo, "1")).toBe(false);
    expect(committedState(cache)).toEqual(before);
    expect(existsSync(lockPathOf(cache))).toBe(false);
  });
});
