import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { distComponent, metadataHeaders, venvComponents } from "../../../src/pybuild/venv-sbom.js";

const metadata = (name: string, version: string, extra = "") =>
  `Metadata-Version: 2.4\nName: ${name}\nVersion: ${version}\n${extra}\nDescription body\nName: not-this\n`;

describe("metadataHeaders", () => {
  it("reads headers up to the blank line, the first value of each", () => {
    const h = metadataHeaders(metadata("Foo", "1.0", "Classifier: a\nClassifier: b"));
    expect(h.get("name")).toBe("Foo");
    expect(h.get("classifier")).toBe("a");
  });
});

describe("distComponent", () => {
  it("names the package with a pypi purl, hashes RECORD, keeps License-Expression", () => {
    const record = Buffer.from("foo/__init__.py,sha256=x,0\n");
    expect(
      distComponent(metadata("Typing_Extensions", "4.12.2", "License-Expression: PSF-2.0"), record),
    ).toEqual({
      name: "Typing_Extensions",
      version: "4.12.2",
      purl: "pkg:pypi/typing-extensions@4.12.2",
      hashes: { sha256: createHash("sha256").update(record).digest("hex") },
      licenses: ["PSF-2.0"],
    });
  });

  it("skips a METADATA without a name or version", () => {
    expect(distComponent("Metadata-Version: 2.1\nName: x\n", undefined)).toBeUndefined();
  });
});

describe("venvComponents", () => {
  it("lists every dist-info of the venv's site-packages, nothing else", () => {
    const venv = mkdtempSync(join(tmpdir(), "venv-sbom-"));
    const site = join(venv, "lib", "python3.12", "site-packages");
    for (const [dir, text] of [
      ["numpy-2.2.6.dist-info", metadata("numpy", "2.2.6")],
      ["six-1.17.0.dist-info", metadata("six", "1.17.0")],
    ] as const) {
      mkdirSync(join(site, dir), { recursive: true });
      writeFileSync(join(site, dir, "METADATA"), text);
      writeFileSync(join(site, dir, "RECORD"), `${dir}/METADATA,,\n`);
    }
    mkdirSync(join(site, "numpy"));
    mkdirSync(join(site, "broken.dist-info"));
    const got = venvComponents(venv).sort((a, b) => a.name.localeCompare(b.name));
    expect(got.map((c) => c.purl)).toEqual(["pkg:pypi/numpy@2.2.6", "pkg:pypi/six@1.17.0"]);
    expect(got[0]?.hashes.sha256).toBe(
      createHash("sha256")
        .update(readFileSync(join(site, "numpy-2.2.6.dist-info", "RECORD")))
        .digest("hex"),
    );
  });
});
