import { describe, expect, test } from "vitest";
import { MlBuildpacksError } from "../../../src/core/errors.js";
import { formatImageRef, isLoopbackRegistry, parseImageRef } from "../../../src/core/image-ref.js";

describe("parseImageRef", () => {
  test.each([
    [
      "127.0.0.1:5000/team/app:1.0",
      { registry: "127.0.0.1:5000", repository: "team/app", tag: "1.0", digest: undefined },
    ],
    ["localhost/app", { registry: "localhost", repository: "app", tag: "latest", digest: undefined }],
    [
      "python",
      { registry: "index.docker.io", repository: "library/python", tag: "latest", digest: undefined },
    ],
    [
      `ghcr.io/org/x@sha256:${"a".repeat(64)}`,
      { registry: "ghcr.io", repository: "org/x", tag: undefined, digest: `sha256:${"a".repeat(64)}` },
    ],
  ])("%s", (input, expected) => {
    expect(parseImageRef(input)).toEqual(expected);
  });

  test.each(["", "UPPER/case", "repo:bad tag", "x@sha256:short"])(
    "rejects %j with a clear error",
    (input) => {
      expect(() => parseImageRef(input)).toThrow(MlBuildpacksError);
    },
  );

  test("round-trips through formatImageRef", () => {
    expect(formatImageRef(parseImageRef("127.0.0.1:5000/a/b:c"))).toBe("127.0.0.1:5000/a/b:c");
    expect(formatImageRef(parseImageRef("python:3"))).toBe("python:3");
  });

  test("loopback registries speak plain http", () => {
    expect(isLoopbackRegistry("127.0.0.1:5000")).toBe(true);
    expect(isLoopbackRegistry("localhost:5000")).toBe(true);
    expect(isLoopbackRegistry("ghcr.io")).toBe(false);
  });
});
