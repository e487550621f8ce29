import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { condaComponent, envComponents } from "../src/sbom.js";

const numpy = {
  name: "numpy",
  version: "2.2.6",
  build: "py311_0",
  subdir: "linux-64",
  file_name: "numpy-2.2.6-py311_0.conda",
  url: "https://conda.example.test/conda-forge/linux-64/numpy-2.2.6-py311_0.conda",
  sha256: "c".repeat(64),
};

describe("condaComponent", () => {
  it("names the package with a conda purl: build, channel, subdir, type; the locked sha256", () => {
    expect(condaComponent(numpy)).toEqual({
      name: "numpy",
      version: "2.2.6",
      purl: "pkg:conda/numpy@2.2.6?build=py311_0&channel=https%3A%2F%2Fconda.example.test%2Fconda-forge&subdir=linux-64&type=conda",
      hashes: { sha256: numpy.sha256 },
    });
  });

  it("lists the conda packages of an environment without a pip section", () => {
    const prefix = mkdtempSync(join(tmpdir(), "conda-sbom-"));
    expect(envComponents([numpy], prefix).map((c) => c.name)).toEqual(["numpy"]);
  });
});
