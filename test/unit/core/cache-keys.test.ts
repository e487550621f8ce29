import { describe, expect, test } from "vitest";
import { cacheKeys, dependencyHash, flavorOf } from "../../../src/core/cache/keys.js";

const base = {
  os: "Linux",
  arch: "amd64",
  flavor: "cpu",
  scope: undefined,
  builderDigest: `sha256:${"ab".repeat(32)}`,
  dependencyHash: "0123456789abcdef",
};

describe("cache keys", () => {
  test("primary key carries version, OS, scope, builder and dependencies; restore keys fall back within the scope", () => {
    expect(cacheKeys(base)).toEqual({
      scope: "cpu-amd64",
      primary: "ml-buildpacks-v1-linux-cpu-amd64-abababababababab-0123456789abcdef",
      restoreKeys: [
        "ml-buildpacks-v1-linux-cpu-amd64-abababababababab-",
        "ml-buildpacks-v1-linux-cpu-amd64-",
      ],
    });
  });

  test("matrix jobs get disjoint scopes", () => {
    const keys = [
      cacheKeys(base),
      cacheKeys({ ...base, arch: "arm64" }),
      cacheKeys({ ...base, flavor: "cuda" }),
      cacheKeys({ ...base, flavor: "cuda", arch: "arm64" }),
    ];
    const scopes = keys.map((k) => k.restoreKeys.at(-1));
    expect(new Set(scopes).size).toBe(4);
    for (const k of keys)
      for (const other of keys)
        if (k !== other) expect(k.primary.startsWith(other.restoreKeys.at(-1) ?? "")).toBe(false);
  });

  test("a user scope replaces flavor-arch", () => {
    expect(cacheKeys({ ...base, scope: "Team a/x" }).scope).toBe("team-a-x");
  });

  test("dependency hash changes with any dependency file and ignores others", () => {
    const files: Record<string, string> = { "requirements.txt": "pandas==3.1.1\n", "app.py": "print(1)" };
    const h1 = dependencyHash((n) => files[n]);
    files["app.py"] = "print(2)";
    expect(dependencyHash((n) => files[n])).toBe(h1);
    files["requirements.txt"] = "pandas==3.1.0\n";
    expect(dependencyHash((n) => files[n])).not.toBe(h1);
    files.Aptfile = "libgl1\n";
    expect(dependencyHash((n) => files[n])).not.toBe(
      dependencyHash((n) => (n === "Aptfile" ? undefined : files[n])),
    );
  });

  test.each([
    ["127.0.0.1:5000/ml-buildpacks/builder:cpu", "cpu"],
    ["ghcr.io/o/builder:cuda-arm64", "cuda"],
    [`ghcr.io/o/builder@sha256:${"a".repeat(64)}`, "default"],
    ["ghcr.io/o/builder", "default"],
  ])("flavor of %s is %s", (ref, flavor) => {
    expect(flavorOf(ref)).toBe(flavor);
  });
});
