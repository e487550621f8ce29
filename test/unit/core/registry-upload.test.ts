// uploadBlobStream (blobs of unknown digest: pre-export's layers, recompressed layers) against a
// real registry: a stream is read once and not retried; a factory is called again after a failure
// of the registry, never after a failure of its own stream.
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, expect, test } from "vitest";
import { recompressLayers } from "../../../src/core/recompress.js";
import { type Manifest, RegistryClient } from "../../../src/core/registry/client.js";
import { digestOf, generated, sha, TestRegistry } from "./registry-server.js";

let registry: TestRegistry;

beforeAll(async () => {
  // 127.0.0.2 is not a loopback name for the client: plain HTTP only because it is listed.
  registry = await new TestRegistry({ auth: "none" }, undefined).start();
});

afterAll(() => registry.stop());

const client = () =>
  new RegistryClient(registry.name, {
    insecureRegistries: [registry.name],
    env: {},
    backoff: [1, 1, 1],
    sleep: async () => {},
  });

const SIZE = 3 * 1024 * 1024;

/** Fails the next PATCH to `repository` (each test has its own: an aborted request may arrive late). */
const failPatch = (repository: string, answer: "reset" | { status: number }) =>
  registry.faults.push({ match: (m, url) => m === "PATCH" && url.startsWith(`/v2/${repository}/`), answer });

test("a factory: a 503 on the PATCH starts a new session with a new stream; digest and size of what was pushed", async () => {
  let opened = 0;
  failPatch("team/a", { status: 503 });
  const blob = await client().uploadBlobStream("team/a", () => {
    opened++;
    return generated(SIZE, 5);
  });
  expect(opened).toBe(2);
  expect(blob).toEqual({ digest: await digestOf(generated(SIZE, 5)), size: SIZE });
  expect(registry.blobs.get(`team/a@${blob.digest}`)?.size).toBe(SIZE);
  expect(registry.faults).toHaveLength(0);
});

test("a factory: a connection dropped mid-upload is retried too", async () => {
  let opened = 0;
  failPatch("team/b", "reset");
  const blob = await client().uploadBlobStream("team/b", async () => {
    opened++;
    return generated(SIZE, 6);
  });
  expect(opened).toBe(2);
  expect(blob.digest).toBe(await digestOf(generated(SIZE, 6)));
  expect(registry.blobs.get(`team/b@${blob.digest}`)?.size).toBe(SIZE);
});

test("a factory: retries stop after the backoff; the error names the registry's answer", async () => {
  let opened = 0;
  for (let i = 0; i < 4; i++) failPatch("team/c", { status: 502 });
  await expect(
    client().uploadBlobStream("team/c", () => {
      opened++;
      return generated(1024, 7);
    }),
  ).rejects.toThrow(/refused to stream a blob to team\/c \(HTTP 502\)/);
  expect(opened).toBe(4);
});

test("a stream is read once: a 503 fails the upload without a second attempt", async () => {
  const starts = registry.seen.filter((s) => s.method === "POST").length;
  failPatch("team/d", { status: 503 });
  await expect(client().uploadBlobStream("team/d", generated(SIZE, 8))).rejects.toThrow(/HTTP 503/);
  expect(registry.seen.filter((s) => s.method === "POST").length - starts).toBe(1);
});

test("a failing stream (a file that vanished) is thrown as it is, and the factory is not called again", async () => {
  let opened = 0;
  const vanished = Object.assign(new Error("ENOENT: no such file or directory, open '/layers/x'"), {
    code: "ENOENT",
  });
  await expect(
    client().uploadBlobStream("team/e", () => {
      opened++;
      return Readable.from(
        (async function* () {
          yield Buffer.alloc(65536, 1);
          throw vanished;
        })(),
      );
    }),
  ).rejects.toBe(vanished);
  expect(opened).toBe(1);
});

test("recompression: a failed upload reads and recompresses the layer again", async () => {
  const tar = Buffer.from("numpy==2.1.0 torch==2.5.1 transformers==4.46.0\n".repeat(40_000));
  const layer = gzipSync(tar, { level: 1 });
  const layerDigest = registry.putBlob("team/model", layer);
  const body = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha("{}"), size: 2 },
    layers: [
      { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: layerDigest, size: layer.length },
    ],
  };
  const raw = Buffer.from(JSON.stringify(body));
  const manifest: Manifest = { mediaType: body.mediaType, digest: sha(raw), raw, body };
  failPatch("team/model", { status: 503 });
  registry.seen.length = 0;
  const done = await recompressLayers(
    client(),
    "team/model",
    manifest,
    { rootfs: { diff_ids: [sha(tar)] } },
    [0],
    9,
  );
  expect(registry.faults).toHaveLength(0);
  expect(registry.seen.filter((s) => s.method === "GET" && s.url.endsWith(layerDigest))).toHaveLength(2);
  const pushed = done.manifest.body.layers?.[0];
  expect(pushed && pushed.digest !== layerDigest).toBe(true);
  const blob = registry.blobs.get(`team/model@${pushed?.digest}`);
  expect(blob?.data && gunzipSync(blob.data).equals(tar)).toBe(true);
});
