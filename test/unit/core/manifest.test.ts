import { describe, expect, test } from "vitest";
import { MlBuildpacksError } from "../../../src/core/errors.js";
import { parseChildSpec, parsePlatform, renderIndex, samePlatform } from "../../../src/core/manifest.js";
import { OCI_MANIFEST, sha256 } from "../../../src/core/registry/client.js";

const digest = `sha256:${"1".repeat(64)}`;

describe("manifest list pieces", () => {
  test("child specs: optional platform, a digest or a tag", () => {
    expect(parseChildSpec(`linux/arm64=127.0.0.1:5000/a/b@${digest}`)).toEqual({
      ref: { registry: "127.0.0.1:5000", repository: "a/b", tag: undefined, digest },
      expected: { os: "linux", architecture: "arm64" },
    });
    expect(parseChildSpec(`127.0.0.1:5000/a/b@${digest}`).expected).toBeUndefined();
    expect(parseChildSpec("127.0.0.1:5000/a/b:1").ref).toEqual({
      registry: "127.0.0.1:5000",
      repository: "a/b",
      tag: "1",
      digest: undefined,
    });
    expect(() => parseChildSpec(`linux=127.0.0.1:5000/a/b@${digest}`)).toThrow(MlBuildpacksError);
  });

  test("platforms compare with arm64's v8 variant optional", () => {
    expect(
      samePlatform(
        { os: "linux", architecture: "arm64", variant: "v8" },
        { os: "linux", architecture: "arm64" },
      ),
    ).toBe(true);
    expect(samePlatform({ os: "linux", architecture: "arm64" }, { os: "linux", architecture: "amd64" })).toBe(
      false,
    );
    expect(parsePlatform("linux/arm/v7")).toEqual({ os: "linux", architecture: "arm", variant: "v7" });
    expect(parsePlatform("linux")).toBeUndefined();
  });

  test("the index lists each child's media type, digest, size and platform in order", () => {
    const raw = Buffer.from('{"schemaVersion":2}');
    const index = JSON.parse(
      renderIndex([
        {
          manifest: { mediaType: OCI_MANIFEST, digest: sha256(raw), raw, body: {} },
          platform: { os: "linux", architecture: "amd64" },
        },
        {
          manifest: { mediaType: OCI_MANIFEST, digest, raw, body: {} },
          platform: { os: "linux", architecture: "arm64", variant: "v8" },
        },
      ]).toString(),
    );
    expect(index).toEqual({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: sha256(raw),
          size: raw.length,
          platform: { os: "linux", architecture: "amd64" },
        },
        {
          mediaType: OCI_MANIFEST,
          digest,
          size: raw.length,
          platform: { os: "linux", architecture: "arm64", variant: "v8" },
        },
      ],
    });
  });
});
