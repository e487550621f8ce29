import { describe, expect, it } from "vitest";
import { debComponent } from "../src/sbom.js";

describe("debComponent", () => {
  it("names the package with a deb purl (epoch and + encoded), arch and distro qualifiers, the .deb's sha256", () => {
    const sha = "b".repeat(64);
    expect(
      debComponent(
        { name: "libjq1", version: "1:1.7.1+dfsg-1", arch: "amd64" },
        { name: "debian", version: "13" },
        sha,
      ),
    ).toEqual({
      name: "libjq1",
      version: "1:1.7.1+dfsg-1",
      purl: "pkg:deb/debian/libjq1@1%3A1.7.1%2Bdfsg-1?arch=amd64&distro=debian-13",
      hashes: { sha256: sha },
      type: "library",
    });
  });
});
