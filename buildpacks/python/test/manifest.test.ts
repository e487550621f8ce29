import { describe, expect, it } from "vitest";
import { type BuildpackError, stringifyToml } from "../../../src/libcnb/index.js";
import { memoryAppFiles, testTarget } from "../../../src/libcnb/testing.js";
import { selectPython } from "../src/build.js";
import {
  availableVersions,
  DEFAULT_MIRROR,
  describeAvailable,
  downloadUrl,
  findBuild,
  loadManifest,
  mirrorBase,
  parseManifest,
} from "../src/manifest.js";
import { readPythonRequest } from "../src/request.js";

const builtin = loadManifest("/workspace", {});

describe("the buildpack's manifest", () => {
  it("pins install_only builds of every supported minor for amd64 and arm64", () => {
    expect(builtin.builtin).toBe(true);
    for (const arch of ["amd64", "arm64"]) {
      const minors = new Set(availableVersions(builtin, arch).map((v) => v.split(".").slice(0, 2).join(".")));
      expect([...minors].sort()).toEqual(["3.10", "3.11", "3.12", "3.13", "3.14"]);
    }
    for (const b of builtin.builds) {
      expect(b.file).toMatch(
        /^cpython-3\.\d+\.\d+\+\d{8}-(x86_64|aarch64)-unknown-linux-gnu-install_only(_stripped)?\.tar\.gz$/,
      );
      expect(b.file).toContain(`cpython-${b.version}+${b.release}-`);
      expect(b.file).toContain(b.arch === "amd64" ? "x86_64" : "aarch64");
    }
  });

  it("builds download URLs like GitHub's release assets, from the default or a configured mirror", () => {
    const b = findBuild(builtin, "3.12.14", "amd64");
    if (!b) throw new Error("3.12.14 missing");
    expect(mirrorBase({})).toBe(DEFAULT_MIRROR);
    expect(downloadUrl(mirrorBase({}), b)).toBe(
      "https://github.com/astral-sh/python-build-standalone/releases/download/20260814/cpython-3.12.14%2B20260814-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz",
    );
    expect(downloadUrl(mirrorBase({ BP_PYTHON_MIRROR: "http://mirror.internal/pbs/" }), b)).toMatch(
      /^http:\/\/mirror\.internal\/pbs\/20260814\/cpython-3\.12\.14%2B/,
    );
  });

  it("summarises versions per minor", () => {
    expect(describeAvailable(["3.12.2", "3.11.9", "3.12.10", "3.12.0"])).toBe(
      "3.11 (3.11.9), 3.12 (3.12.0 to 3.12.10)",
    );
  });
});

describe("selectPython", () => {
  const select = (files: Record<string, string>) =>
    selectPython(readPythonRequest(memoryAppFiles(files)), "3.13.5", builtin, testTarget);

  it("lets requires-python pick the newest build it allows when the stack's doesn't fit", () => {
    expect(select({ "pyproject.toml": '[project]\nrequires-python = ">=3.11,<3.13"\n' })).toEqual({
      kind: "download",
      version: "3.12.14",
    });
    expect(select({ "pyproject.toml": '[project]\nrequires-python = "~=3.10.4"\n' })).toMatchObject({
      version: "3.10.21",
    });
  });

  it("prefers the stack's Python whenever it satisfies the request", () => {
    expect(select({ "pyproject.toml": '[project]\nrequires-python = ">=3.11"\n' })).toEqual({
      kind: "stack",
      version: "3.13.5",
    });
    expect(select({})).toEqual({ kind: "stack", version: "3.13.5" });
  });

  it("installs an exact patch version from the manifest", () => {
    expect(select({ ".python-version": "3.13.14" })).toEqual({ kind: "download", version: "3.13.14" });
    expect(select({ Pipfile: '[requires]\npython_version = "3.11"\n' })).toMatchObject({
      version: "3.11.16",
    });
    expect(select({ "environment.yml": "dependencies:\n  - python=3.14\n" })).toMatchObject({
      version: "3.14.7",
    });
  });

  it("only offers versions built for the target's arch", () => {
    const m = parseManifest(
      stringifyToml({
        python: { "3.12.1": { release: "1", arm64: { file: "a.tar.gz", sha256: "a".repeat(64) } } },
      }),
      "m.toml",
      false,
    );
    const req = readPythonRequest(memoryAppFiles({ ".python-version": "3.12" }));
    const err = (() => {
      try {
        return selectPython(req, "3.13.5", m, testTarget);
      } catch (e) {
        return e;
      }
    })() as BuildpackError;
    expect(err.title).toBe("No supported Python matches 3.12");
    expect(err.body).toContain("Supported versions for linux/amd64: (none)");
    expect(err.body).toContain("from the manifest m.toml (BP_PYTHON_MANIFEST)");
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
