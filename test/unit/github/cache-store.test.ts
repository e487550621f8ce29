import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { ActionsCacheStore, type CacheBackend } from "../../../src/github/cache-store.js";

function cacheDirWithPartialRestore(): string {
  const dir = mkdtempSync(join(tmpdir(), "cache-store-"));
  mkdirSync(join(dir, "committed"));
  writeFileSync(join(dir, "committed", "sha256:half.tar"), "half of a layer");
  return dir;
}

const logger = () => {
  const warnings: string[] = [];
  return { warnings, log: { warn: (m: string) => void warnings.push(m) } };
};

describe("an injected failing backend", () => {
  test("restore throws (backend down): a warning, a miss, and nothing half-extracted is left", async () => {
    const dir = cacheDirWithPartialRestore();
    const { warnings, log } = logger();
    const backend: CacheBackend = {
      restoreCache: async () => {
        throw new Error("connect ECONNREFUSED");
      },
      saveCache: async () => 1,
    };
    expect(await new ActionsCacheStore(log, backend).restore(dir, "k", ["k-"])).toBeUndefined();
    expect(warnings).toEqual([
      "restoring the Actions cache failed, the build starts without it: connect ECONNREFUSED",
    ]);
    expect(existsSync(join(dir, "committed"))).toBe(false);
  });

  test("restore reports a miss after a broken-off extraction: the partial committed/ is removed", async () => {
    const dir = cacheDirWithPartialRestore();
    const backend: CacheBackend = { restoreCache: async () => undefined, saveCache: async () => 1 };
    expect(await new ActionsCacheStore(logger().log, backend).restore(dir, "k", [])).toBeUndefined();
    expect(existsSync(join(dir, "committed"))).toBe(false);
  });

  test("a restore that matched keeps what it restored", async () => {
    const dir = cacheDirWithPartialRestore();
    const backend: CacheBackend = { restoreCache: async () => "k-old", saveCache: async () => 1 };
    expect(await new ActionsCacheStore(logger().log, backend).restore(dir, "k", ["k-"])).toBe("k-old");
    expect(existsSync(join(dir, "committed", "sha256:half.tar"))).toBe(true);
  });

  test("save throws (throttled): a warning and false, never an exception", async () => {
    const { warnings, log } = logger();
    const backend: CacheBackend = {
      restoreCache: async () => undefined,
      saveCache: async () => {
        throw new Error("Cache service responded with 429");
      },
    };
    expect(await new ActionsCacheStore(log, backend).save("/tmp/x", "k")).toBe(false);
    expect(warnings).toEqual(["saving the Actions cache failed: Cache service responded with 429"]);
  });
});

// The real @actions/cache against a cache service that throttles (429 to everything): restore is a
// miss, save is false, neither throws. (Down, nothing listening, ends the same way after its
// client's retries, ~20 s: the injected backend above stands for it.)
describe("the real @actions/cache client", () => {
  let server: Server | undefined;
  afterEach(async () => {
    vi.unstubAllEnvs();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
  });

  async function serviceAt(answer: number): Promise<string> {
    const service = createServer((req, res) => {
      req.resume();
      res.writeHead(answer, { "Content-Type": "application/json", "Retry-After": "0" });
      res.end('{"message":"slow down"}');
    });
    server = service;
    await new Promise<void>((r) => service.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(service.address() as AddressInfo).port}/`;
  }

  test("the cache service throttling: warnings only", async () => {
    vi.stubEnv("ACTIONS_CACHE_URL", await serviceAt(429));
    vi.stubEnv("ACTIONS_RUNTIME_TOKEN", "token");
    vi.stubEnv("ACTIONS_CACHE_SERVICE_V2", "");
    vi.stubEnv("GITHUB_ACTIONS", "true");
    const dir = cacheDirWithPartialRestore();
    const { log } = logger();
    const store = new ActionsCacheStore(log);
    expect(await store.restore(dir, "ml-buildpacks-k", ["ml-buildpacks-"])).toBeUndefined();
    expect(existsSync(join(dir, "committed"))).toBe(false);
    mkdirSync(join(dir, "committed"));
    writeFileSync(join(dir, "committed", "layer.tar"), "data");
    expect(await store.save(dir, "ml-buildpacks-k")).toBe(false);
  }, 30_000);
});
