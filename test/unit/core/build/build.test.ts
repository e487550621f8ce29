// build() driven end to end with a fake executor (it "exports" by pushing an image, as the exporter
// does) against the small real registry of the registry client's tests.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type BuildDeps, build } from "../../../../src/core/build/index.js";
import type { BuilderInfo } from "../../../../src/core/builder/inspect.js";
import type { Docker } from "../../../../src/core/docker.js";
import type { Executor } from "../../../../src/core/executor/types.js";
import { BUILD_METADATA_LABEL } from "../../../../src/core/fast-path/registry.js";
import type { PhaseSpec } from "../../../../src/core/lifecycle/phases.js";
import type { Logger } from "../../../../src/core/log.js";
import { type BuildRequest, REQUEST_DEFAULTS } from "../../../../src/core/request.js";
import { TestRegistry } from "../registry-server.js";

const CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";

class RecordingLog implements Logger {
  readonly lines: string[] = [];
  info = (m: string) => void this.lines.push(m);
  warn = (m: string) => void this.lines.push(`warning: ${m}`);
  error = (m: string) => void this.lines.push(`error: ${m}`);
  output = (m: string) => void this.lines.push(`| ${m}`);
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push(`## ${title}`);
    return fn();
  }
}

/** Runs no lifecycle: detect writes group.toml, export pushes a small image and writes report.toml. */
class FakeExecutor implements Executor {
  readonly ran: string[] = [];
  readonly outputs = new Map<string, string>();
  prepared = false;
  cleaned = false;

  constructor(
    private readonly registry: TestRegistry,
    private readonly repository: string,
    private readonly tag: string,
    private readonly failing?: string,
  ) {}

  async prepare(): Promise<void> {
    this.prepared = true;
  }

  async runPhase(spec: PhaseSpec, onLine: (line: string) => void): Promise<number> {
    this.ran.push(spec.phase);
    if (spec.phase === this.failing) return 1;
    if (spec.phase === "detect")
      this.outputs.set("group.toml", '[[group]]\nid = "ml-buildpacks/pip"\nversion = "1.0.0"\n');
    if (spec.phase === "export") {
      const digest = this.pushImage();
      onLine(`*** Digest: ${digest}`);
      this.outputs.set(
        "report.toml",
        `[image]\ndigest = "${digest}"\nimage-id = "sha256:${"c".repeat(64)}"\n`,
      );
    }
    return 0;
  }

  readOutput(name: string): string | undefined {
    return this.outputs.get(name);
  }

  async cleanup(): Promise<void> {
    this.cleaned = true;
  }

  private pushImage(): string {
    const buildMetadata = JSON.stringify({ buildpacks: [{ id: "ml-buildpacks/pip", version: "1.0.0" }] });
    const config = Buffer.from(
      JSON.stringify({
        architecture: "amd64",
        os: "linux",
        config: { Labels: { [BUILD_METADATA_LABEL]: buildMetadata } },
        rootfs: { type: "layers", diff_ids: [] },
      }),
    );
    const configDigest = this.registry.putBlob(this.repository, config);
    return this.registry.putManifest(this.repository, this.tag, {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: CONFIG_TYPE, digest: configDigest, size: config.length },
      layers: [],
    });
  }
}

let registry: TestRegistry;
let appDir: string;

beforeEach(async () => {
  registry = await new TestRegistry({ auth: "none", deletes: true }, undefined).start("127.0.0.1");
  appDir = mkdtempSync(join(tmpdir(), "build-app-"));
  mkdirSync(join(appDir, "src"));
  writeFileSync(join(appDir, "src", "app.py"), "print('hi')\n");
  writeFileSync(join(appDir, "requirements.txt"), "tabulate==0.9.0\n");
  // The builder's run image: the fast path pins its digest.
  const runConfig = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", config: {} }));
  const runConfigDigest = registry.putBlob("stack/run", runConfig);
  registry.putManifest("stack/run", "cpu", {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: CONFIG_TYPE, digest: runConfigDigest, size: runConfig.length },
    layers: [],
  });
});

afterEach(async () => {
  await registry.stop();
});

function request(overrides: Partial<BuildRequest> = {}): BuildRequest {
  return {
    ...REQUEST_DEFAULTS,
    appDir,
    image: `${registry.name}/team/app:1`,
    additionalTags: [],
    builder: `${registry.name}/stack/builder:cpu`,
    runImage: undefined,
    previousImage: undefined,
    cacheDir: undefined,
    clearCache: false,
    env: {},
    secrets: {},
    platform: "linux/amd64",
    defaultProcess: undefined,
    publish: true,
    trustBuilder: false,
    fastPath: true,
    caCerts: undefined,
    insecureRegistries: [registry.name],
    memoryLimit: undefined,
    ...overrides,
  };
}

function builder(): BuilderInfo {
  return {
    ref: `${registry.name}/stack/builder:cpu`,
    imageId: `sha256:${"b".repeat(64)}`,
    digest: undefined,
    platform: "linux/amd64",
    uid: 1001,
    gid: 1000,
    lifecycleVersion: "0.21.17",
    platformApis: ["0.12", "0.13"],
    runImages: [`${registry.name}/stack/run:cpu`],
    buildpacks: [{ id: "ml-buildpacks/pip", version: "1.0.0" }],
    stackId: undefined,
    inDaemon: true,
  };
}

function deps(executor: Executor, log: RecordingLog): BuildDeps & { made: Record<string, string>[] } {
  const made: Record<string, string>[] = [];
  let t = 0;
  return {
    made,
    // Every daemon call is a failure here: a published build with a known builder needs none.
    docker: {} as Docker,
    log,
    clock: { now: () => (t += 10) },
    makeExecutor: (_builder, _api, secretEnv) => {
      made.push(secretEnv);
      return executor;
    },
    env: {},
  };
}

describe("build()", () => {
  test("runs the five phases in order, pushes the image with its inputs, reports what the registry holds", async () => {
    const log = new RecordingLog();
    const executor = new FakeExecutor(registry, "team/app", "1");
    const report = await build(request(), deps(executor, log), builder());

    expect(executor.ran).toEqual(["analyze", "detect", "restore", "build", "export"]);
    expect(executor.prepared && executor.cleaned).toBe(true);
    expect(report.phases.map((p) => p.phase)).toEqual(executor.ran);
    expect(report.buildpacks).toEqual([{ id: "ml-buildpacks/pip", version: "1.0.0" }]);
    expect(report.image).toBe(`${registry.name}/team/app:1`);
    expect(report.fastPath?.used).toBe(false);
    // The inputs label went onto a copy (no pre-export here): the tag names that copy.
    const tagged = registry.manifests.get("team/app:1");
    expect(tagged).toBeDefined();
    expect(report.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(registry.manifests.get(`team/app:${report.digest}`)?.raw).toEqual(tagged?.raw);
    expect(report.imageRef).toBe(`${registry.name}/team/app@${report.digest}`);
    expect(log.lines).toContain("## BUILDING");
  });

  test("a second build with the same inputs runs no phase and reports the same image", async () => {
    const first = await build(
      request(),
      deps(new FakeExecutor(registry, "team/app", "1"), new RecordingLog()),
      builder(),
    );
    const executor = new FakeExecutor(registry, "team/app", "1");
    const again = await build(request(), deps(executor, new RecordingLog()), builder());
    expect(executor.ran).toEqual([]);
    expect(again.phases).toEqual([]);
    expect(again.fastPath?.used).toBe(true);
    expect(again.digest).toBe(first.digest);
  });

  test("a changed requirements.txt runs the phases again", async () => {
    await build(request(), deps(new FakeExecutor(registry, "team/app", "1"), new RecordingLog()), builder());
    writeFileSync(join(appDir, "requirements.txt"), "tabulate==0.9.0\nrich==14.0.0\n");
    const executor = new FakeExecutor(registry, "team/app", "1");
    const report = await build(request(), deps(executor, new RecordingLog()), builder());
    expect(executor.ran).toEqual(["analyze", "detect", "restore", "build", "export"]);
    expect(report.fastPath?.used).toBe(false);
  });

  test("a failing build phase fails the build with the phase named, after cleaning up; no tag is pushed", async () => {
    const executor = new FakeExecutor(registry, "team/app", "1", "build");
    await expect(build(request(), deps(executor, new RecordingLog()), builder())).rejects.toThrow(/build/i);
    expect(executor.ran).toEqual(["analyze", "detect", "restore", "build"]);
    expect(executor.cleaned).toBe(true);
    expect(registry.manifests.has("team/app:1")).toBe(false);
  });

  test("an unreachable target registry fails before the workspace is prepared", async () => {
    const executor = new FakeExecutor(registry, "team/app", "1");
    const req = request({
      image: "127.0.0.1:9/team/app:1",
      insecureRegistries: ["127.0.0.1:9", registry.name],
    });
    await expect(build(req, deps(executor, new RecordingLog()), builder())).rejects.toThrow();
    expect(executor.prepared).toBe(false);
    expect(executor.ran).toEqual([]);
  });

  test("a previous image in another registry is refused before anything runs", async () => {
    const executor = new FakeExecutor(registry, "team/app", "1");
    const req = request({ previousImage: "other.example/team/app:main" });
    await expect(build(req, deps(executor, new RecordingLog()), builder())).rejects.toThrow(/other\.example/);
    expect(executor.ran).toEqual([]);
  });

  test("a builder whose lifecycle speaks no Platform API of ours is refused before anything runs", async () => {
    const executor = new FakeExecutor(registry, "team/app", "1");
    const old = { ...builder(), platformApis: ["0.3"] };
    await expect(build(request(), deps(executor, new RecordingLog()), old)).rejects.toThrow(
      /supports no Platform API/,
    );
    expect(executor.ran).toEqual([]);
  });
});
