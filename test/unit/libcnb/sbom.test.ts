import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Layers } from "../../../src/libcnb/layers.js";
import {
  cycloneDx,
  purl,
  pypiName,
  type SbomComponent,
  sbomFiles,
  spdx,
} from "../../../src/sbom/documents.js";
import { tempDir } from "./helpers.js";
import { sbomProblems } from "./sbom-check.js";

const subject = {
  name: "ml-buildpacks/pip venv layer",
  tool: { name: "ml-buildpacks/pip", version: "0.1.0" },
};
const sha = "a".repeat(64);
const numpy: SbomComponent = {
  name: "numpy",
  version: "2.2.6",
  purl: "pkg:pypi/numpy@2.2.6",
  hashes: { sha256: sha },
  licenses: ["BSD-3-Clause"],
};

describe("purl", () => {
  it.each([
    [["pypi", undefined, "numpy", "2.2.6"], "pkg:pypi/numpy@2.2.6"],
    [
      ["deb", "debian", "libc6", "2.41-12", { arch: "amd64", distro: "debian-13" }],
      "pkg:deb/debian/libc6@2.41-12?arch=amd64&distro=debian-13",
    ],
    [
      ["deb", "debian", "tzdata", "1:2025b+0", { arch: "all" }],
      "pkg:deb/debian/tzdata@1%3A2025b%2B0?arch=all",
    ],
    [
      ["conda", undefined, "numpy", "2.2.6", { subdir: "linux-64", build: "py311_0" }],
      "pkg:conda/numpy@2.2.6?build=py311_0&subdir=linux-64",
    ],
    [
      ["generic", undefined, "cpython", "3.11.2", { download_url: "https://x.test/a b.tgz" }],
      "pkg:generic/cpython@3.11.2?download_url=https%3A%2F%2Fx.test%2Fa%20b.tgz",
    ],
  ] as const)("%j -> %s", (args, expected) => {
    const [type, ns, name, version, q] = args as unknown as [
      string,
      string | undefined,
      string,
      string,
      Record<string, string>,
    ];
    expect(purl(type, ns, name, version, q)).toBe(expected);
  });

  it("normalizes PyPI names as PEP 503 does", () => {
    expect(pypiName("Django_REST.framework")).toBe("django-rest-framework");
  });
});

describe("CycloneDX 1.5", () => {
  it("has the required fields, a hash and a license per component", () => {
    const doc = cycloneDx(subject, [numpy]);
    expect(sbomProblems(doc)).toEqual([]);
    expect(doc).toMatchObject({ bomFormat: "CycloneDX", specVersion: "1.5", version: 1 });
    expect(doc.components).toEqual([
      {
        type: "library",
        "bom-ref": numpy.purl,
        name: "numpy",
        version: "2.2.6",
        purl: numpy.purl,
        hashes: [{ alg: "SHA-256", content: sha }],
        licenses: [{ expression: "BSD-3-Clause" }],
      },
    ]);
  });

  it("leaves out hashes and licenses it cannot vouch for", () => {
    const doc = cycloneDx(subject, [
      { ...numpy, hashes: { sha256: "nothex" }, licenses: ["see LICENSE.txt file"] },
    ]);
    const [c] = doc.components as Record<string, unknown>[];
    expect(c?.hashes).toBeUndefined();
    expect(c?.licenses).toBeUndefined();
  });

  it("is the same document for the same components in any order (no clock, no random serial)", () => {
    const other = { ...numpy, name: "pandas", purl: "pkg:pypi/pandas@2.3.0", version: "2.3.0" };
    expect(sbomFiles(subject, [numpy, other])).toEqual(sbomFiles(subject, [other, numpy]));
    expect(cycloneDx(subject, [numpy]).serialNumber).not.toBe(cycloneDx(subject, [other]).serialNumber);
  });
});

describe("SPDX 2.3", () => {
  it("has the document fields, one package per component described by the document", () => {
    const doc = spdx(subject, [numpy, { ...numpy, purl: "pkg:pypi/numpy@2.2.6?x=1" }]);
    expect(sbomProblems(doc)).toEqual([]);
    expect(doc).toMatchObject({
      spdxVersion: "SPDX-2.3",
      dataLicense: "CC0-1.0",
      SPDXID: "SPDXRef-DOCUMENT",
      creationInfo: { created: "1980-01-01T00:00:01Z", creators: ["Tool: ml-buildpacks/pip-0.1.0"] },
    });
    const packages = doc.packages as Record<string, unknown>[];
    expect(packages.map((p) => p.SPDXID)).toEqual(["SPDXRef-Package-1-numpy", "SPDXRef-Package-2-numpy"]);
    expect(packages[0]).toMatchObject({
      versionInfo: "2.2.6",
      checksums: [{ algorithm: "SHA256", checksumValue: sha }],
      licenseDeclared: "BSD-3-Clause",
      externalRefs: [
        { referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: numpy.purl },
      ],
    });
    expect((doc.relationships as unknown[]).length).toBe(2);
  });

  it("keeps one package per purl", () => {
    expect((spdx(subject, [numpy, numpy]).packages as unknown[]).length).toBe(1);
  });
});

describe("any component list", () => {
  const text = fc.string({ minLength: 1, maxLength: 30 });
  const component = fc.record({
    name: text,
    version: text,
    purl: fc.tuple(text, text).map(([n, v]) => purl("pypi", undefined, n, v)),
    hashes: fc.record(
      { sha256: fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: undefined }) },
      { requiredKeys: [] },
    ),
    licenses: fc.option(fc.array(fc.oneof(text, fc.constant("MIT OR Apache-2.0"))), { nil: undefined }),
    type: fc.option(fc.constantFrom("library" as const, "application" as const), { nil: undefined }),
  });
  it("gives valid CycloneDX and SPDX documents", () => {
    fc.assert(
      fc.property(fc.array(component, { maxLength: 20 }), text, (components, name) => {
        const s = { name, tool: subject.tool };
        expect(sbomProblems(cycloneDx(s, components))).toEqual([]);
        expect(sbomProblems(spdx(s, components))).toEqual([]);
        for (const t of Object.values(sbomFiles(s, components))) JSON.parse(t);
      }),
    );
  });
});

describe("Layer.writeSbom", () => {
  it("writes <layer>.sbom.cdx.json and .spdx.json beside the toml; remove() drops them", () => {
    const dir = tempDir();
    const layer = new Layers(dir).get("venv");
    layer.reset();
    layer.writeSbom(subject, [numpy]);
    expect(sbomProblems(JSON.parse(readFileSync(join(dir, "venv.sbom.cdx.json"), "utf8")))).toEqual([]);
    expect(sbomProblems(JSON.parse(readFileSync(join(dir, "venv.sbom.spdx.json"), "utf8")))).toEqual([]);
    layer.reset();
    expect(() => readFileSync(join(dir, "venv.sbom.cdx.json"))).toThrow();
  });
});
