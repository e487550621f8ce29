import { createHash } from "node:crypto";
import { expect, test } from "vitest";
import { builderInfo } from "../../../src/core/builder/inspect.js";
import { inspectRemoteImage } from "../../../src/core/builder/remote.js";
import { parseImageRef } from "../../../src/core/image-ref.js";
import { type Fetch, RegistryClient } from "../../../src/core/registry/client.js";

const sha = (s: string) => `sha256:${createHash("sha256").update(s).digest("hex")}`;

test("reads a builder's inspect data from its manifest and config, as docker would show it", async () => {
  const config = JSON.stringify({
    os: "linux",
    architecture: "arm64",
    variant: "v8",
    config: {
      Env: ["CNB_USER_ID=1000", "CNB_GROUP_ID=1001"],
      Labels: {
        "io.buildpacks.builder.metadata": JSON.stringify({
          lifecycle: { version: "0.21.17", apis: { platform: { supported: ["0.14"] } } },
          images: [{ image: "r/run:cpu" }],
          buildpacks: [{ id: "ml-buildpacks/pip", version: "0.1.0" }],
        }),
      },
    },
    rootfs: { diff_ids: ["sha256:aa"] },
  });
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { digest: sha(config), size: config.length },
    layers: [{ digest: "sha256:bb", size: 100 }],
  });
  const fetchFn: Fetch = async (url) => {
    const u = String(url);
    if (u.endsWith("/manifests/cpu-arm64")) return new Response(manifest, { status: 200 });
    if (u.endsWith(`/blobs/${sha(config)}`)) return new Response(config, { status: 200 });
    return new Response("", { status: 404 });
  };
  const client = new RegistryClient("127.0.0.1:5000", { fetch: fetchFn });
  const image = await inspectRemoteImage(client, parseImageRef("127.0.0.1:5000/ml/builder:cpu-arm64"));
  expect(image?.Id).toBe(sha(config));
  expect(image?.RepoDigests).toEqual([`127.0.0.1:5000/ml/builder@${sha(manifest)}`]);
  expect(image?.Size).toBe(config.length + 100);
  const info = builderInfo(image?.RepoDigests?.[0] ?? "", image as NonNullable<typeof image>);
  expect(info).toMatchObject({
    platform: "linux/arm64",
    uid: 1000,
    gid: 1001,
    lifecycleVersion: "0.21.17",
    runImages: ["r/run:cpu"],
    digest: sha(manifest),
  });
  expect(
    await inspectRemoteImage(client, parseImageRef("127.0.0.1:5000/ml/builder:missing")),
  ).toBeUndefined();
});
