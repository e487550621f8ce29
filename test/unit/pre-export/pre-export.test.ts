import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import TOML from "@iarna/toml";
import { describe, expect, test } from "vitest";
import { emptyActivity, recordExporterLine } from "../../../src/core/lifecycle/output.js";
import {
  CONTAINER_PATHS,
  chainSpec,
  phaseSpecs,
  planPhases,
  shellQuote,
  withPreExport,
} from "../../../src/core/lifecycle/phases.js";
import { testTempDir } from "../../../src/libcnb/testing.js";
import {
  parseAnalyzed,
  previousImageRef,
  previousLayerSha,
  withStagingImage,
} from "../../../src/pre-export/analyzed.js";
import { layerTarChunks, layerTarEntries } from "../../../src/pre-export/layer-tar.js";
import { stagingImage } from "../../../src/pre-export/staging.js";

const ANALYZED = `
[image]
  reference = "127.0.0.1:5000/app@sha256:prev"

[metadata]
  [metadata.app]
    sha = "sha256:app"
  [[metadata.buildpacks]]
    key = "ml-buildpacks/pip"
    version = "0.1.0"
    [metadata.buildpacks.layers.venv]
      sha = "sha256:oldvenv"
      launch = true
      [metadata.buildpacks.layers.venv.data]
        requirements_sha256 = "abc"

[run-image]
  reference = "127.0.0.1:5000/run@sha256:run"
`;

describe("analyzed.toml", () => {
  const analyzed = parseAnalyzed(ANALYZED);

  test("reads the previous image and a layer's previous diffID", () => {
    expect(previousImageRef(analyzed)).toBe("127.0.0.1:5000/app@sha256:prev");
    expect(previousLayerSha(analyzed, "ml-buildpacks/pip", "venv")).toBe("sha256:oldvenv");
    expect(previousLayerSha(analyzed, "ml-buildpacks/pip", "pip-cache")).toBeUndefined();
    expect(previousImageRef(parseAnalyzed('[run-image]\nreference = "r"\n'))).toBeUndefined();
  });

  test("points at the staging image and records the pushed diffIDs, keeping everything else", () => {
    const text = withStagingImage(analyzed, "127.0.0.1:5000/app@sha256:staging", [
      { buildpack: "ml-buildpacks/pip", version: "0.1.0", layer: "venv", diffId: "sha256:newvenv" },
      { buildpack: "ml-buildpacks/deb-packages", version: "0.2.0", layer: "packages", diffId: "sha256:debs" },
    ]);
    const doc = TOML.parse(text) as {
      image: { reference: string };
      "run-image": { reference: string };
      metadata: { app: { sha: string }; buildpacks: unknown[] };
    };
    expect(doc.image.reference).toBe("127.0.0.1:5000/app@sha256:staging");
    expect(doc["run-image"].reference).toBe("127.0.0.1:5000/run@sha256:run");
    expect(doc.metadata.app.sha).toBe("sha256:app");
    expect(doc.metadata.buildpacks).toEqual([
      {
        key: "ml-buildpacks/pip",
        version: "0.1.0",
        layers: { venv: { sha: "sha256:newvenv", launch: true, data: { requirements_sha256: "abc" } } },
      },
      { key: "ml-buildpacks/deb-packages", version: "0.2.0", layers: { packages: { sha: "sha256:debs" } } },
    ]);
  });
});

describe("the staging image", () => {
  test("holds the previous image's layers, then the pushed ones, with matching diff_ids", () => {
    const previous = {
      manifest: { schemaVersion: 2, layers: [{ mediaType: "m", digest: "sha256:l1", size: 10 }] },
      config: { rootfs: { diff_ids: ["sha256:d1"] } },
    };
    const pushed = [{ diffId: "sha256:d2", digest: "sha256:l2", size: 20 }];
    const platform = { os: "linux", architecture: "arm64", variant: "v8" };
    const staging = stagingImage(platform, previous, pushed, "build-1");
    expect(JSON.parse(staging.config.toString())).toEqual({
      os: "linux",
      architecture: "arm64",
      variant: "v8",
      rootfs: { type: "layers", diff_ids: ["sha256:d1", "sha256:d2"] },
      config: { Labels: { "dev.ml-buildpacks.staging": "build-1" } },
    });
    // Another build staging the same layers gets a manifest of its own, deleted independently.
    expect(stagingImage(platform, previous, pushed, "build-2").config.equals(staging.config)).toBe(false);
    const manifest = JSON.parse(staging.manifest({ digest: "sha256:cfg", size: 99 }).toString());
    expect(manifest.config).toEqual({
      mediaType: "application/vnd.oci.image.config.v1+json",
      digest: "sha256:cfg",
      size: 99,
    });
    expect(manifest.layers.map((l: { digest: string }) => l.digest)).toEqual(["sha256:l1", "sha256:l2"]);
  });
});

describe("a layer's tar entries", () => {
  test("parents with their own owner, then Go's filepath.Walk order (children sorted, visited in place)", () => {
    const root = testTempDir("pre-export-");
    const layer = join(root, "layers", "bp", "venv");
    mkdirSync(join(layer, "a"), { recursive: true });
    writeFileSync(join(layer, "a", "x"), "x");
    writeFileSync(join(layer, "a.b"), "ab");
    writeFileSync(join(layer, "B"), "B");
    symlinkSync("a/x", join(layer, "link"));
    const listed = layerTarEntries(layer, { uid: 1000, gid: 1001 });
    if ("reason" in listed) throw new Error(listed.reason);
    const names = listed.entries.map((e) => e.name.slice(root.length));
    expect(names.slice(-6)).toEqual([
      "/layers/bp/venv",
      "/layers/bp/venv/B",
      "/layers/bp/venv/a",
      "/layers/bp/venv/a/x",
      "/layers/bp/venv/a.b",
      "/layers/bp/venv/link",
    ]);
    // Whole-path order (the app layer's) would put a.b before a/x.
    expect(listed.entries.at(-6)?.owner).toEqual({ uid: 1000, gid: 1001 });
    expect(listed.entries.at(-7)?.owner).toEqual({ uid: process.getuid?.(), gid: process.getgid?.() });
    expect(listed.entries.find((e) => e.name.endsWith("/link"))).toMatchObject({
      kind: "symlink",
      linkTarget: "a/x",
      size: 0,
    });
    expect(listed.bytes).toBe(4);
    const tar = Buffer.concat([...layerTarChunks(listed.entries)]);
    // Every entry a 512-byte header, the three files padded to 512, two zero blocks at the end.
    expect(tar.length).toBe(512 * (listed.entries.length + 3 + 2));
  });

  test("a name Go would write with a PAX header leaves the layer to the exporter", () => {
    const root = testTempDir("pre-export-");
    const layer = join(root, "venv");
    mkdirSync(layer);
    writeFileSync(join(layer, "caf\u00e9.txt"), "");
    expect(layerTarEntries(layer, { uid: 1, gid: 1 })).toMatchObject({
      reason: expect.stringContaining("PAX"),
    });
  });
});

describe("the chain of phases", () => {
  const inputs = {
    platformApi: "0.14",
    image: "127.0.0.1:5000/app:1",
    additionalTags: [],
    runImage: undefined,
    previousImage: undefined,
    useCache: true,
    logLevel: "info" as const,
    defaultProcess: undefined,
    insecureRegistries: [],
    daemon: false,
  };

  test("runs every phase as the CNB user, pre-export (never failing) just before the exporter", () => {
    const spec = chainSpec(inputs, {
      uid: 1000,
      gid: 1000,
      preExportCommand: ["node", "/x/index.mjs", '{"a":"it\'s"}'],
    });
    expect(spec).toMatchObject({ phase: "create", binary: "setpriv", preExport: true, registry: true });
    expect(spec.args.slice(0, 5)).toEqual(["--reuid=1000", "--regid=1000", "--clear-groups", "sh", "-c"]);
    const script = spec.args[5] ?? "";
    const order = ["analyzer", "detector", "restorer", "builder", "index.mjs", "exporter"].map((w) =>
      script.indexOf(w),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(script).toContain(`node /x/index.mjs '{"a":"it'\\''s"}' || true`);
    expect(script).toMatch(/^set -e\n/);
    expect(script).toContain("/cnb/lifecycle/detector -log-level info");
  });

  test("as a step of its own: just before the exporter, as the CNB user, with registry access", () => {
    const specs = withPreExport(phaseSpecs(inputs), ["node", "/d/index.mjs", "{}"]);
    expect(specs.map((s) => s.phase)).toEqual([
      "analyze",
      "detect",
      "restore",
      "build",
      "pre-export",
      "export",
    ]);
    expect(specs[4]).toEqual({
      phase: "pre-export",
      binary: "node",
      args: ["/d/index.mjs", "{}"],
      runAs: "cnb",
      registry: true,
      daemon: false,
      preExport: true,
    });
  });

  test("the plan: creator or chain when trusted, one step per phase otherwise, pre-export when possible", () => {
    const plan = (trustBuilder: boolean, preExport?: { command: string[]; chain: boolean }) =>
      planPhases(inputs, CONTAINER_PATHS, { trustBuilder, user: { uid: 1, gid: 1 }, preExport }).map(
        (s) => `${s.phase}:${s.binary.split("/").pop()}`,
      );
    const docker = { command: ["node", "x"], chain: true };
    const local = { command: ["node", "x"], chain: false };
    expect(plan(true)).toEqual(["create:creator"]);
    expect(plan(true, docker)).toEqual(["create:setpriv"]);
    expect(plan(true, local)).toEqual(plan(false, local));
    expect(plan(false, docker)).toEqual([
      "analyze:analyzer",
      "detect:detector",
      "restore:restorer",
      "build:builder",
      "pre-export:node",
      "export:exporter",
    ]);
    expect(plan(false)).toEqual([
      "analyze:analyzer",
      "detect:detector",
      "restore:restorer",
      "build:builder",
      "export:exporter",
    ]);
  });

  test("shellQuote leaves plain words alone", () => {
    expect(shellQuote("/cnb/lifecycle/exporter")).toBe("/cnb/lifecycle/exporter");
    expect(shellQuote("a b")).toBe("'a b'");
  });

  test("a pre-exported layer counts as added once, not as reused", () => {
    const activity = emptyActivity();
    for (const line of [
      "Pre-exported layer 'ml-buildpacks/pip:venv': 273.4 MiB -> 104.0 MiB (gzip level 4, 2 cores) in 3.0 s",
      "Reusing layer 'ml-buildpacks/pip:venv'",
      "Reusing layer 'ml-buildpacks/python:python'",
    ])
      recordExporterLine(activity, line);
    expect(activity.added).toEqual(["ml-buildpacks/pip:venv"]);
    expect(activity.reused).toEqual(["ml-buildpacks/python:python"]);
  });
});
