import { describe, expect, it } from "vitest";
import {
  availableVersions,
  DEFAULT_MIRROR,
  describeAvailable,
  downloadUrl,
  findBuild,
  isFullArchive,
  loadManifest,
  mirrorBase,
  parseManifest,
} from "../src/manifest.js";

const builtin = loadManifest("/workspace", {});

describe("the buildpack's manifest", () => {
  it("pins every supported minor for amd64 and arm64, each file named for its version and arch", () => {
    expect(builtin.builtin).toBe(true);
    for (const arch of ["amd64", "arm64"]) {
      const minors = new Set(availableVersions(builtin, arch).map((v) => v.split(".").slice(0, 2).join(".")));
      expect([...minors].sort()).toEqual(["3.10", "3.11", "3.12", "3.13", "3.14"]);
    }
    for (const b of builtin.builds) {
      expect(b.file).toMatch(
        /^cpython-3\.\d+\.\d+(\+\d{8}-(x86_64|aarch64)-unknown-linux-gnu-install_only(_stripped)?\.tar\.gz|-(x86_64|aarch64)-unknown-linux-gnu-[a-z+]+-\d{8}T\d{4}\.tar\.zst)$/,
      );
      expect(b.file).toContain(`cpython-${b.version}`);
      expect(b.file).toContain(b.arch === "amd64" ? "x86_64" : "aarch64");
      expect(b.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("has both arches of every version, patch releases contiguous from .0 but for the few PBS never built", () => {
    const amd64 = availableVersions(builtin, "amd64");
    expect(availableVersions(builtin, "arm64")).toEqual(amd64);
    // python-build-standalone never published linux-gnu builds of these (uv's metadata has none).
    const neverBuilt = ["3.10.1", "3.10.10", "3.11.0", "3.11.2"];
    for (const minor of [10, 11, 12, 13, 14]) {
      const patches = amd64.filter((v) => v.startsWith(`3.${minor}.`)).map((v) => Number(v.split(".")[2]));
      const newest = Math.max(...patches);
      for (let p = 0; p <= newest; p++) {
        const v = `3.${minor}.${p}`;
        expect(amd64.includes(v) || neverBuilt.includes(v), `${v} missing`).toBe(true);
      }
    }
  });

  it("installs 3.10.0 from PBS's full archive (there is no install_only build of it)", () => {
    const b = findBuild(builtin, "3.10.0", "amd64");
    expect(b?.file).toMatch(/\.tar\.zst$/);
    expect(b && isFullArchive(b)).toBe(true);
    const c = findBuild(builtin, "3.10.2", "amd64");
    expect(c && isFullArchive(c)).toBe(false);
  });

  it("builds download URLs like GitHub's release assets, from the default or a configured mirror", () => {
    const b = findBuild(builtin, "3.12.14", "amd64");
    if (!b) throw new Error("3.12.14 missing");
    expect(mirrorBase({})).toBe(DEFAULT_MIRROR);
    expect(downloadUrl(mirrorBase({}), b)).toBe(
      "https://github.com/astral-sh/python-build-standalone/releases/download/20260929/cpython-3.12.14%2B20260929-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz",
    );
    expect(downloadUrl(mirrorBase({ BP_PYTHON_MIRROR: "http://mirror.internal/pbs/" }), b)).toMatch(
      /^http:\/\/mirror\.internal\/pbs\/20260929\/cpython-3\.12\.14%2B/,
    );
  });

  it("summarises versions per minor", () => {
    expect(describeAvailable(["3.12.2", "3.11.9", "3.12.10", "3.12.0"])).toBe(
      "3.11 (3.11.9), 3.12 (3.12.0 to 3.12.10)",
    );
  });
});

describe("parseManifest", () => {
  it.each([
    ["not toml = = ", "The Python manifest m.toml is invalid"],
    ['[python."3.12"]\nrelease = "1"\n', "The Python manifest m.toml is invalid"],
    [
      '[python."3.12.1"]\nrelease = "1"\n[python."3.12.1".amd64]\nfile = "x.tar.gz"\nsha256 = "abc"\n',
      "invalid",
    ],
  ])("rejects %j", (text, title) => {
    expect(() => parseManifest(text, "m.toml", false)).toThrow(title);
  });
});
