import { describe, expect, test } from "vitest";
import { parseMergeInputs } from "../../../src/github/merge-inputs.js";

const given =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? "";

describe("merge action inputs", () => {
  test("tags and digests, one per line or comma-separated, with or without a platform; capitals lower-cased", () => {
    const d = `sha256:${"a".repeat(64)}`;
    const inputs = parseMergeInputs(
      given({
        image: "ghcr.io/Alice/App:abc",
        images: `ghcr.io/Alice/App:abc-amd64\n# arm64 from its own runner\nlinux/arm64=ghcr.io/alice/app@${d}, ghcr.io/x/y:z\n`,
      }),
    );
    expect(inputs.image).toBe("ghcr.io/alice/app:abc");
    expect(inputs.sources).toEqual([
      {
        ref: { registry: "ghcr.io", repository: "alice/app", tag: "abc-amd64", digest: undefined },
        expected: undefined,
      },
      {
        ref: { registry: "ghcr.io", repository: "alice/app", tag: undefined, digest: d },
        expected: { os: "linux", architecture: "arm64" },
      },
      { ref: { registry: "ghcr.io", repository: "x/y", tag: "z", digest: undefined }, expected: undefined },
    ]);
  });

  test("digests are the per-arch images in the index's own repository, after the images", () => {
    const a = `sha256:${"a".repeat(64)}`;
    const b = `sha256:${"b".repeat(64)}`;
    const inputs = parseMergeInputs(
      given({
        image: "ghcr.io/Org/App:v1",
        images: "ghcr.io/org/app:v1-s390x",
        digests: `${a}\n linux/arm64= ${b}`,
      }),
    );
    expect(inputs.sources).toEqual([
      {
        ref: { registry: "ghcr.io", repository: "org/app", tag: "v1-s390x", digest: undefined },
        expected: undefined,
      },
      { ref: { registry: "ghcr.io", repository: "org/app", tag: undefined, digest: a }, expected: undefined },
      {
        ref: { registry: "ghcr.io", repository: "org/app", tag: undefined, digest: b },
        expected: { os: "linux", architecture: "arm64" },
      },
    ]);
  });

  test.each([
    [{ images: "ghcr.io/o/a:1" }, 'input "image" is required'],
    [{ image: "ghcr.io/o/a:1" }, 'input "images" (or "digests") is required'],
    [
      { image: "ghcr.io/o/a:1", digests: "ghcr.io/o/a:1-amd64" },
      'input "digests": "ghcr.io/o/a:1-amd64" is not a digest',
    ],
    [{ image: "ghcr.io/o/a:1", digests: `arm64=sha256:${"c".repeat(64)}` }, "is not a digest"],
    [{ image: "ghcr.io/o/a:1", digests: "sha256:abc" }, "is not a digest"],
    [{ image: `ghcr.io/o/a@sha256:${"b".repeat(64)}`, images: "ghcr.io/o/a:1" }, "must be a tag"],
    [{ image: "ghcr.io/o/a:1", images: "amd64=ghcr.io/o/a:1" }, "does not start with a platform"],
  ])("%j is refused: %s", (values, message) => {
    expect(() => parseMergeInputs(given(values))).toThrow(message);
  });
});
