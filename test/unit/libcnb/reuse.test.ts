import { describe, expect, it } from "vitest";
import { decideReuse, fileChanged, shortSha, versionChanged } from "../../../src/libcnb/reuse.js";

const key = {
  layer_version: 1,
  requirements_sha256: "1a2b3c4d5e6f7a8b9c0d",
  python_version: "3.13.5",
  arch: "amd64",
};
const describers = {
  requirements_sha256: fileChanged("requirements.txt"),
  python_version: versionChanged("Python"),
};

describe("decideReuse", () => {
  it("creates when nothing was restored", () => {
    expect(decideReuse(key, undefined, describers)).toEqual({ action: "create" });
  });

  it("reuses when every key matches", () => {
    expect(decideReuse(key, { ...key }, describers)).toEqual({ action: "reuse" });
  });

  it("rebuilds and says which parts changed", () => {
    const restored = {
      ...key,
      requirements_sha256: "3c4d5e6f7a8b9c0d1e2f",
      python_version: "3.12.1",
      arch: "arm64",
    };
    expect(decideReuse(key, restored, describers)).toEqual({
      action: "rebuild",
      reasons: [
        "requirements.txt changed (sha256 3c4d5e6f… -> 1a2b3c4d…)",
        "Python 3.12.1 -> 3.13.5",
        "arch changed (arm64 -> amd64)",
      ],
    });
  });

  it("treats missing, extra and differently typed keys as changes", () => {
    const { arch: _arch, ...withoutArch } = key;
    expect(decideReuse(key, { ...withoutArch, layer_version: "1", old: "x" })).toEqual({
      action: "rebuild",
      reasons: [
        'layer_version changed ("1" -> 1)',
        "arch changed ((none) -> amd64)",
        "old no longer recorded (was x)",
      ],
    });
  });
});

describe("shortSha", () => {
  it("abbreviates long digests", () => {
    expect(shortSha("0123456789abcdef")).toBe("01234567…");
    expect(shortSha(undefined)).toBe("(none)");
    expect(shortSha("abc")).toBe("abc");
  });
});
