// manifest-data.ts is generated (scripts/python-manifest.mjs), never edited by hand: it must be exactly
// what the generator renders from the committed upstream selection, and the generator's selection must
// keep only what the buildpack can install.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { INPUT_FILE, OUTPUT_FILE, renderManifest, selectEntries } from "../../../scripts/python-manifest.mjs";

const sha = (c: string) => c.repeat(64);
const PBS = "https://github.com/astral-sh/python-build-standalone/releases/download";

function meta(over: Record<string, unknown>) {
  return {
    name: "cpython",
    arch: { family: "x86_64", variant: null },
    os: "linux",
    libc: "gnu",
    major: 3,
    minor: 12,
    patch: 4,
    prerelease: "",
    url: `${PBS}/20240726/cpython-3.12.4%2B20240726-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz`,
    sha256: sha("a"),
    variant: null,
    build: "20240726",
    ...over,
  };
}

describe("scripts/python-manifest.mjs", () => {
  it("the committed manifest-data.ts is the generator's output from the committed selection", () => {
    const entries = JSON.parse(readFileSync(INPUT_FILE, "utf8"));
    expect(readFileSync(OUTPUT_FILE, "utf8")).toBe(renderManifest(entries));
  });

  it("keeps CPython 3.10-3.14 final releases for linux-gnu x86_64/aarch64, default builds only", () => {
    const arm = `${PBS}/20240726/cpython-3.12.4%2B20240726-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz`;
    const entries = selectEntries({
      a: meta({}),
      b: meta({ arch: { family: "aarch64", variant: null }, url: arm, sha256: sha("b") }),
      v3: meta({ arch: { family: "x86_64", variant: "v3" }, sha256: sha("c") }),
      musl: meta({ libc: "musl" }),
      mac: meta({ os: "darwin", libc: "none" }),
      ft: meta({ variant: "freethreaded" }),
      rc: meta({ minor: 15, patch: 0, prerelease: "rc1" }),
      old: meta({ minor: 9 }),
      pypy: meta({ name: "pypy" }),
      i686: meta({ arch: { family: "i686", variant: null } }),
    });
    expect(entries).toEqual([
      {
        version: "3.12.4",
        release: "20240726",
        arch: "amd64",
        file: "cpython-3.12.4+20240726-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz",
        sha256: sha("a"),
      },
      {
        version: "3.12.4",
        release: "20240726",
        arch: "arm64",
        file: "cpython-3.12.4+20240726-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz",
        sha256: sha("b"),
      },
    ]);
    const text = renderManifest(entries);
    expect(text).toContain('[python."3.12.4"]\nrelease = "20240726"\n');
    expect(text).toContain(`[python."3.12.4".arm64]\nfile = "cpython-3.12.4+20240726-aarch64`);
  });

  it("sorts newest version first and leaves out a version missing an arch", () => {
    const entries = selectEntries({
      a: meta({ patch: 10 }),
      b: meta({ patch: 9 }),
      c: meta({ patch: 9, arch: { family: "aarch64", variant: null } }),
      d: meta({ patch: 10, arch: { family: "aarch64", variant: null } }),
      e: meta({ minor: 11, patch: 1 }),
    });
    expect(entries.map((e) => `${e.version}/${e.arch}`)).toEqual([
      "3.12.10/amd64",
      "3.12.10/arm64",
      "3.12.9/amd64",
      "3.12.9/arm64",
      "3.11.1/amd64",
    ]);
    expect(renderManifest(entries)).not.toContain('"3.11.1"');
  });

  it("refuses an asset that is not a python-build-standalone release download", () => {
    expect(() => selectEntries({ a: meta({ url: "https://example.org/x.tar.gz" }) })).toThrow(
      /unexpected url/,
    );
    expect(() => selectEntries({ a: meta({ sha256: "abc" }) })).toThrow(/unexpected url or sha256/);
  });
});
