// A build cancelled by SIGTERM while a phase container runs (the docker executor with a fake docker
// CLI): the container is removed, the phase fails as "cancelled" (not as a killed phase), the
// cache dir's lock is released, and the process exits with 143 once the cleanup is done.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, vi } from "vitest";
import type { BuilderInfo } from "../../../src/core/builder/inspect.js";
import { lockPathOf } from "../../../src/core/cache/lock.js";
import type { Docker } from "../../../src/core/docker.js";
import { DockerExecutor } from "../../../src/core/executor/docker.js";
import type { PhaseSpec } from "../../../src/core/lifecycle/phases.js";

test("SIGTERM mid-phase: the container is removed, the error says cancelled, the lock is released, exit 143", async () => {
  const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  const calls: string[][] = [];
  let stopContainer: (code: number) => void = () => {};
  const fake = {
    createVolume: async () => {},
    removeVolumes: async (names: string[]) => void calls.push(["volume", "rm", ...names]),
    removeContainer: async (name: string) => {
      calls.push(["rm", "--force", name]);
      stopContainer(137);
    },
    exec: (args: string[]) => {
      calls.push(args.slice(0, 3));
      return new Promise((resolve) => {
        stopContainer = (code) => resolve({ exitCode: code, stdout: "", stderr: "" });
      });
    },
  };
  const cache = mkdtempSync(join(tmpdir(), "cancel-cache-"));
  const executor = new DockerExecutor({
    docker: fake as unknown as Docker,
    builder: { ref: "builder", platform: "linux/amd64", uid: 1000, gid: 1000 } as BuilderInfo,
    appDir: mkdtempSync(join(tmpdir(), "cancel-app-")),
    cacheDir: cache,
    buildEnv: {},
    caCerts: undefined,
    platformApi: "0.14",
    secretEnv: {},
  });
  await executor.prepare();
  expect(existsSync(lockPathOf(cache))).toBe(true);
  const spec: PhaseSpec = {
    phase: "analyze",
    binary: "/cnb/lifecycle/analyzer",
    args: [],
    runAs: "root",
    registry: true,
    daemon: false,
  };
  const running = executor
    .runPhase(spec, () => {})
    .then(
      () => new Error("not cancelled") as Error & { exitCode?: number },
      (e: unknown) => e as Error & { exitCode?: number },
    );
  await vi.waitFor(() => expect(calls.some((c) => c[0] === "run")).toBe(true));
  process.emit("SIGTERM", "SIGTERM");
  const err = await running;
  expect(err.message).toBe("the build was cancelled (SIGTERM) during the analyze phase");
  expect(err.exitCode).toBe(143);
  await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(143));
  expect(calls.find((c) => c[0] === "rm")?.[2]).toMatch(/^ml-buildpacks-analyze-/);
  expect(calls.some((c) => c[0] === "volume")).toBe(true);
  expect(existsSync(lockPathOf(cache))).toBe(false);
  expect(String(stderr.mock.calls[0]?.[0])).toContain("cancelled (SIGTERM)");
  // The hook is gone with the cleanup: SIGTERM is Node's again.
  expect(process.listenerCount("SIGTERM")).toBe(0);
  exit.mockRestore();
  stderr.mockRestore();
});
