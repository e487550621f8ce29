import { describe, expect, it } from "vitest";
import { cpythonComponent } from "../src/sbom.js";

describe("cpythonComponent", () => {
  it("an installed CPython: the archive's sha256 and where it came from", () => {
    const sha = "d".repeat(64);
    const build = {
      version: "3.11.2",
      release: "20260814",
      arch: "amd64",
      file: "cpython-3.11.2.tar.gz",
      sha256: sha,
    };
    expect(cpythonComponent("3.11.2", { build, mirror: "https://mirror.example.test/pbs" })).toMatchObject({
      name: "cpython",
      version: "3.11.2",
      purl: `pkg:generic/cpython@3.11.2?checksum=sha256%3A${sha}&download_url=https%3A%2F%2Fmirror.example.test%2Fpbs%2F20260814%2Fcpython-3.11.2.tar.gz`,
      hashes: { sha256: sha },
      type: "application",
    });
  });

  it("the stack's Python: version only", () => {
    expect(cpythonComponent("3.13.5")).toEqual({
      name: "cpython",
      version: "3.13.5",
      purl: "pkg:generic/cpython@3.13.5",
      hashes: {},
      type: "application",
    });
  });
});
