import { describe, expect, test } from "vitest";
import { hostPlatform, pinForPlatform } from "../../../src/core/platform.js";
import type { Manifest, RegistryClient } from "../../../src/core/registry/client.js";

const d = (c: string) => `sha256:${c.repeat(64)}`;
const index: Manifest = {
  mediaType: "application/vnd.oci.image.index.v1+json",
  digest: d("0"),
  raw: Buffer.from("{}"),
  body: {
    manifests: [
      { digest: d("1"), size: 1, platform: { os: "linux", architecture: "amd64" } },
      { digest: d("2"), size: 1, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
    ],
  },
};

function fakeClient(answer: Manifest | undefined | Error) {
  return () =>
    ({
      getManifest: async () => {
        if (answer instanceof Error) throw answer;
        return answer;
      },
    }) as unknown as RegistryClient;
}

describe("platforms", () => {
  test.each([
    ["x64", "linux/amd64"],
    ["arm64", "linux/arm64"],
  ])("host %s is %s", (arch, platform) => {
    expect(hostPlatform(arch)).toBe(platform);
  });

  test("an index resolves to its child for the platform", async () => {
    expect(await pinForPlatform("127.0.0.1:5000/mlb/builder:cpu", "linux/arm64", fakeClient(index))).toBe(
      `127.0.0.1:5000/mlb/builder@${d("2")}`,
    );
    expect(await pinForPlatform("127.0.0.1:5000/mlb/builder:cpu", "linux/amd64", fakeClient(index))).toBe(
      `127.0.0.1:5000/mlb/builder@${d("1")}`,
    );
  });

  test("a platform the index lacks is a clear error listing what it has", async () => {
    await expect(pinForPlatform("r.io/b:cpu", "linux/s390x", fakeClient(index))).rejects.toThrow(
      "r.io/b:cpu has no linux/s390x image",
    );
  });

  test("single images, unknown refs and unreachable registries keep the reference", async () => {
    const single: Manifest = { ...index, body: { layers: [] } };
    expect(await pinForPlatform("r.io/b:1", "linux/amd64", fakeClient(single))).toBe("r.io/b:1");
    expect(await pinForPlatform("r.io/b:1", "linux/amd64", fakeClient(undefined))).toBe("r.io/b:1");
    expect(await pinForPlatform("local/b:1", "linux/amd64", fakeClient(new Error("ECONNREFUSED")))).toBe(
      "local/b:1",
    );
  });
});
