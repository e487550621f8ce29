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

  test.each([
    [{ images: "ghcr.io/o/a:1" }, 'input "image" is required'],
    [{ image: "ghcr.io/o/a:1" }, 'input "images" is required'],
    [{ image: `ghcr.io/o/a@sha256:${"b".repeat(64)}`, images: "ghcr.io/o/a:1" }, "must be a tag"],
    [{ image: "ghcr.io/o/a:1", images: "amd64=ghcr.io/o/a:1" }, "does not start with a platform"],
  ])("%j is refused: %s", (values, message) => {
    expect(() => parseMergeInputs(given(values))).toThrow(message);
  });
});
