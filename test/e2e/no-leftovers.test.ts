/**
 * A registry that refuses DELETE (as GHCR does, with 405) keeps every manifest a build pushes. Three
 * builds against one (a second docker-registry with storage.delete disabled, started here): a full
 * build, a code-only change (app-layer swap), a requirements change with --compression small; each
 * to its own tag, so every untagged manifest left in its storage is one a build threw away.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { inputsFromLabels } from "../../src/core/fast-path/inputs.js";
import { RegistryClient, sha256 } from "../../src/core/registry/client.js";
import type { BuildReport } from "../../src/core/report.js";
import { cli, copyApp, docker, REGISTRY, readReport } from "./helpers.js";

const BUILDER = `${REGISTRY}/ml-buildpacks/builder:cpu`;
const repository = "e2e/no-leftovers";
let storage: string;
let registryProcess: ChildProcess | undefined;
let host: string;
let app: string;
let work: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  return fetch(url)
    .then((res) => res.ok)
    .catch(() => false);
}

/** Manifests in the repository's storage that no tag's current link names. */
function untaggedManifests(): string[] {
  const base = join(storage, "docker", "registry", "v2", "repositories", repository, "_manifests");
  const revisions = join(base, "revisions", "sha256");
  const all = existsSync(revisions) ? readdirSync(revisions).map((hex) => `sha256:${hex}`) : [];
  const tags = join(base, "tags");
  const tagged = new Set(
    (existsSync(tags) ? readdirSync(tags) : []).map((tag) =>
      readFileSync(join(tags, tag, "current", "link"), "utf8").trim(),
    ),
  );
  return all.filter((digest) => !tagged.has(digest));
}

async function build(tag: string, extra: string[] = []): Promise<{ report: BuildReport; output: string }> {
  const reportFile = join(work, `report-${tag}.json`);
  const result = await cli([
    "build",
    app,
    "--image",
    `${host}/${repository}:${tag}`,
    "--builder",
    BUILDER,
    "--cache-dir",
    join(work, "cache"),
    "--report",
    reportFile,
    ...extra,
  ]);
  expect(result.code, result.output).toBe(0);
  return { report: readReport(reportFile), output: result.output };
}

beforeAll(async () => {
  storage = mkdtempSync(join(tmpdir(), "e2e-no-delete-registry-"));
  host = `127.0.0.1:${await freePort()}`;
  const config = join(storage, "config.yml");
  writeFileSync(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: warn",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${storage}`,
      "  delete:",
      "    enabled: false",
      "http:",
      `  addr: ${host}`,
      "",
    ].join("\n"),
  );
  registryProcess = spawn("/usr/bin/docker-registry", ["serve", config], { stdio: "ignore" });
  for (let i = 0; i < 100 && !(await answers(`http://${host}/v2/`)); i++)
    await new Promise((r) => setTimeout(r, 200));
  expect(await answers(`http://${host}/v2/`), `docker-registry did not start on ${host}`).toBe(true);
  app = copyApp("hello-arch");
  work = mkdtempSync(join(tmpdir(), "e2e-no-leftovers-"));
});

afterAll(() => {
  registryProcess?.kill();
});

describe("a registry that refuses DELETE", () => {
  let first: { report: BuildReport; output: string };

  test("the probe sees it: a full build stages nothing and still records its inputs", async () => {
    const refused = await new RegistryClient(host).deleteSupport(repository);
    expect(refused).toEqual({ supported: false, why: "HTTP 405, deletes disabled" });
    first = await build("a");
    expect(first.report.phases.length).toBeGreaterThan(0);
    expect(first.output).toContain("the registry does not delete manifests (HTTP 405, deletes disabled)");
    expect(first.output).not.toMatch(/Staged \d+ pre-exported layer/);
    expect(first.output).not.toContain("Recording the build's inputs on the image");
    const client = new RegistryClient(host);
    const manifest = await client.getManifest(repository, "a");
    expect(manifest?.digest).toBe(first.report.digest);
    const config =
      manifest &&
      (await client.getConfig<{ config?: { Labels?: Record<string, string> } }>(repository, manifest));
    const recorded = inputsFromLabels(config?.config?.Labels ?? {});
    expect(recorded?.digest).toBe(first.report.fastPath.inputDigest);
    expect((recorded?.app as { files?: string[] } | undefined)?.files).toContain("requirements.txt");
    expect(untaggedManifests()).toEqual([]);
  });

  test("a code-only change: the app layer is swapped (the record came from pre-export)", async () => {
    const file = join(app, "app.py");
    writeFileSync(file, readFileSync(file, "utf8").replace("hello from", "hi from"));
    const swapped = await build("b", ["--previous-image", `${host}/${repository}:a`]);
    expect(swapped.report.fastPath.appLayerOnly, swapped.report.fastPath.reason).toBe(true);
    expect(swapped.report.phases).toEqual([]);
    expect(untaggedManifests()).toEqual([]);
  });

  test("a requirements change with --compression small: no recompressed copy, no relabelled one", async () => {
    writeFileSync(
      join(app, "requirements.txt"),
      `${readFileSync(join(app, "requirements.txt"), "utf8")}# pinned\n`,
    );
    const full = await build("c", ["--previous-image", `${host}/${repository}:b`, "--compression", "small"]);
    expect(full.report.phases.map((p) => p.phase)).toContain("export");
    expect(full.output).toContain("nor recompresses the new layers after it (--compression small)");
    expect(full.output).not.toContain("Recompressing the new layers");
    const ran = await docker(["run", "--rm", "--network", "host", full.report.imageRef]);
    expect(ran.output).toMatch(/^hi from x86_64/);
  });

  test("after three builds: three manifests, each tagged, none untagged", async () => {
    const revisions = join(
      storage,
      "docker/registry/v2/repositories",
      repository,
      "_manifests/revisions/sha256",
    );
    expect(readdirSync(revisions)).toHaveLength(3);
    const untagged = untaggedManifests();
    console.log(`untagged manifests after 3 builds: ${untagged.length}`);
    expect(untagged).toEqual([]);
    // The count sees an untagged manifest when there is one: push one by digest.
    const client = new RegistryClient(host);
    const manifest = await client.getManifest(repository, "a");
    if (!manifest) throw new Error("tag a is gone");
    const raw = Buffer.from(`${manifest.raw.toString("utf8")}\n`);
    await client.putManifest(repository, sha256(raw), raw, manifest.mediaType);
    expect(untaggedManifests()).toEqual([sha256(raw)]);
  });
});
