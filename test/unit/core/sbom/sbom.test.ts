import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { ImageConfig } from "../../../../src/core/fast-path/registry.js";
import { sbomFilesOf } from "../../../../src/core/sbom/index.js";
import { outputPath, platformDir, sbomLayerOf } from "../../../../src/core/sbom/locate.js";
import { readTar } from "../../../../src/core/sbom/tar.js";

const LONG = `layers/sbom/launch/ml-buildpacks_deb-packages/${"packages-".repeat(12)}x/sbom.cdx.json`;

/** A tar of layers/sbom/... made by GNU tar in the given format. */
function makeTar(format: "pax" | "gnu" | "ustar"): Buffer {
  const root = mkdtempSync(join(tmpdir(), "sbom-tar-"));
  const files = [
    "layers/sbom/launch/ml-buildpacks_pip/venv/sbom.cdx.json",
    "layers/sbom/launch/sbom.legacy.json",
  ];
  if (format !== "ustar") files.push(LONG);
  for (const f of files) {
    mkdirSync(join(root, f, ".."), { recursive: true });
    writeFileSync(join(root, f), `{"file":"${f.slice(-20)}"}`);
  }
  return execFileSync("tar", [`--format=${format}`, "-C", root, "-cf", "-", "layers"], {
    maxBuffer: 1 << 24,
  });
}

describe("readTar", () => {
  it.each(["pax", "gnu", "ustar"] as const)(
    "reads names (long ones too) and contents of a %s tar",
    (format) => {
      const entries = readTar(makeTar(format));
      const file = entries.find((e) => e.name === "layers/sbom/launch/ml-buildpacks_pip/venv/sbom.cdx.json");
      expect(file?.type).toBe("file");
      expect(file?.data.toString()).toContain("sbom.cdx.json");
      expect(entries.some((e) => e.type === "dir" && e.name.startsWith("layers/sbom"))).toBe(true);
      if (format !== "ustar") expect(entries.some((e) => e.name === LONG)).toBe(true);
    },
  );

  it("fails on a truncated tar", () => {
    const tar = makeTar("pax");
    expect(() => readTar(tar.subarray(0, 700))).toThrow(/truncated/);
  });
});

describe("sbomFilesOf", () => {
  it("gunzips the layer and keeps only files under layers/sbom/", () => {
    const files = sbomFilesOf(gzipSync(makeTar("pax")));
    expect([...files.keys()].sort()).toEqual([
      LONG,
      "layers/sbom/launch/ml-buildpacks_pip/venv/sbom.cdx.json",
      "layers/sbom/launch/sbom.legacy.json",
    ]);
  });
});

describe("outputPath", () => {
  it.each([
    ["/layers/sbom/launch/bp/layer/sbom.cdx.json", "layers/sbom/launch/bp/layer/sbom.cdx.json"],
    ["layers/sbom/launch/", "layers/sbom/launch"],
    ["/layers/sbom/../../etc/passwd", undefined],
    ["/layers/ml-buildpacks_pip/venv/x", undefined],
    ["/etc/passwd", undefined],
  ])("%s -> %s", (name, expected) => {
    expect(outputPath(name)).toBe(expected);
  });
});

describe("sbomLayerOf", () => {
  const manifest = {
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest: "sha256:m",
    raw: Buffer.from(""),
    body: {
      layers: [
        { digest: "sha256:base", size: 1 },
        { digest: "sha256:sbomblob", size: 2 },
      ],
    },
  };
  const config = (label: string | undefined): ImageConfig => ({
    architecture: "amd64",
    os: "linux",
    config: { Labels: label === undefined ? {} : { "io.buildpacks.lifecycle.metadata": label } },
    rootfs: { diff_ids: ["sha256:basediff", "sha256:sbomdiff"] },
  });

  it("finds the layer by the label's diffID", () => {
    expect(sbomLayerOf(manifest, config(JSON.stringify({ sbom: { sha: "sha256:sbomdiff" } })))).toEqual({
      layer: { digest: "sha256:sbomblob", size: 2 },
      diffId: "sha256:sbomdiff",
    });
  });

  it.each([
    [undefined, /no io.buildpacks.lifecycle.metadata label/],
    ["{", /not JSON/],
    ["{}", /no SBOM layer/],
    [JSON.stringify({ sbom: { sha: "sha256:other" } }), /not among the image's layers/],
  ])("says why there is none: %s", (label, why) => {
    const got = sbomLayerOf(manifest, config(label));
    expect("missing" in got && got.missing).toMatch(why);
  });

  it("names the platform folder", () => {
    expect(platformDir(config("{}"))).toBe("linux-amd64");
    expect(platformDir({ os: "linux", architecture: "arm64", variant: "v8" })).toBe("linux-arm64-v8");
  });
});
