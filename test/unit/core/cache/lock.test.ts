import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { isStale, lockCacheDir, lockPathOf } from "../../../../src/core/cache/lock.js";

const quiet = { info: () => {} };
const dir = () => mkdtempSync(join(tmpdir(), "cache-lock-"));

test("isStale: only a lock of this host whose process is gone", () => {
  const holder = { pid: 42, host: "runner-1", since: "" };
  expect(isStale(holder, "runner-1", () => false)).toBe(true);
  expect(isStale(holder, "runner-1", () => true)).toBe(false);
  expect(isStale(holder, "runner-2", () => false)).toBe(false);
});

test("a second build waits for the first, then gets the lock", async () => {
  const d = dir();
  const release = await lockCacheDir(d, { log: quiet, pid: 1, host: "h" });
  const infos: string[] = [];
  let waited = 0;
  const second = lockCacheDir(d, {
    log: { info: (m) => infos.push(m) },
    pid: 2,
    host: "h",
    isAlive: () => true,
    sleep: async () => {
      waited++;
      if (waited === 3) release();
    },
  });
  const releaseSecond = await second;
  expect(waited).toBe(3);
  expect(infos).toEqual([
    expect.stringMatching(/^waiting for another build using the layer cache in .* \(process 1 on h\)$/),
  ]);
  expect(JSON.parse(readFileSync(lockPathOf(d), "utf8")).pid).toBe(2);
  releaseSecond();
  expect(existsSync(lockPathOf(d))).toBe(false);
});

test("a lock left by a build that died on this host is taken over", async () => {
  const d = dir();
  writeFileSync(lockPathOf(d), JSON.stringify({ pid: 999_999, host: "h", since: "then" }));
  const infos: string[] = [];
  const release = await lockCacheDir(d, {
    log: { info: (m) => infos.push(m) },
    host: "h",
    isAlive: () => false,
  });
  expect(infos[0]).toMatch(/locked by build 999999, which is gone: taking it over/);
  release();
});

test("a lock held on another host: a clear error after the wait, and that lock is kept", async () => {
  const d = dir();
  const theirs = JSON.stringify({ pid: 7, host: "other", since: "2026-01-01T00:00:00.000Z" });
  writeFileSync(lockPathOf(d), theirs);
  let now = 0;
  const err = (await lockCacheDir(d, {
    log: quiet,
    host: "h",
    waitMs: 5000,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  }).catch((e: unknown) => e)) as Error & { hint: string };
  expect(err.message).toMatch(/is in use by another build \(process 7 on other since 2026-01-01/);
  expect(err.hint).toMatch(/delete .*\.lock if no build is running/);
  expect(readFileSync(lockPathOf(d), "utf8")).toBe(theirs);
});

test("the lock lives beside the cache dir, so a CI cache archive of the dir never carries it", () => {
  expect(lockPathOf("/home/runner/.cache/ml-buildpacks/layers/cpu-amd64/")).toBe(
    "/home/runner/.cache/ml-buildpacks/layers/cpu-amd64.lock",
  );
});
