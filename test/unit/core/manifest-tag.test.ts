import { describe, expect, test } from "vitest";
import type { Logger } from "../../../src/core/log.js";
import { parseTagRequest, tagManifest } from "../../../src/core/manifest-tag.js";
import {
  type Manifest,
  OCI_INDEX,
  OCI_MANIFEST,
  type RegistryClient,
  sha256,
} from "../../../src/core/registry/client.js";

const quiet = {
  info: () => {},
  warn: () => {},
  group: (_t: string, f: () => unknown) => f(),
} as unknown as Logger;

/** A registry of one repository's manifests by reference; records the PUTs. */
function fakeRegistry(manifests: Record<string, Manifest>) {
  const puts: { repository: string; reference: string; raw: string; mediaType: string }[] = [];
  const client = {
    getManifest: async (repository: string, reference: string) => manifests[`${repository}:${reference}`],
    putManifest: async (repository: string, reference: string, raw: Buffer, mediaType: string) => {
      puts.push({ repository, reference, raw: raw.toString(), mediaType });
      return sha256(raw);
    },
  } as unknown as RegistryClient;
  return { client, puts };
}

const manifestOf = (body: object, mediaType: string): Manifest => {
  const raw = Buffer.from(JSON.stringify(body));
  return { mediaType, digest: sha256(raw), raw, body } as Manifest;
};

describe("manifest tag", () => {
  test.each([
    [["r.io/a/b:2"], [{ registry: "r.io", repository: "a/b", tag: "2", digest: undefined }]],
    [
      ["r.io/a/b:2", "q.io/c:3"],
      [
        { registry: "r.io", repository: "a/b", tag: "2", digest: undefined },
        { registry: "q.io", repository: "c", tag: "3", digest: undefined },
      ],
    ],
  ])("tags %j", (tags, refs) => {
    expect(parseTagRequest("r.io/a/b:1", tags).tags).toEqual(refs);
  });

  test.each([
    [[`r.io/a/b@sha256:${"c".repeat(64)}`], "is a digest, not a tag"],
    [[], "no --tag given"],
  ])("%j is refused: %s", (tags, message) => {
    expect(() => parseTagRequest("r.io/a/b:1", tags)).toThrow(message);
  });

  test("the same bytes under every tag, so the digest stays", async () => {
    const image = manifestOf({ schemaVersion: 2, config: {}, layers: [] }, OCI_MANIFEST);
    const { client, puts } = fakeRegistry({ "mlb/build:cpu-1.0.0-amd64": image });
    const result = await tagManifest(
      "r.io/mlb/build:cpu-1.0.0-amd64",
      ["r.io/mlb/build:cpu-1.0-amd64", "r.io/mlb/build:cpu-amd64"],
      {
        clientFor: () => client,
        log: quiet,
      },
    );
    expect(result).toEqual({
      digest: image.digest,
      tags: ["r.io/mlb/build:cpu-1.0-amd64", "r.io/mlb/build:cpu-amd64"],
    });
    expect(puts).toEqual([
      {
        repository: "mlb/build",
        reference: "cpu-1.0-amd64",
        raw: image.raw.toString(),
        mediaType: OCI_MANIFEST,
      },
      { repository: "mlb/build", reference: "cpu-amd64", raw: image.raw.toString(), mediaType: OCI_MANIFEST },
    ]);
  });

  test("a missing source, or an index tagged into another repository, writes nothing", async () => {
    const index = manifestOf({ schemaVersion: 2, manifests: [] }, OCI_INDEX);
    const { client, puts } = fakeRegistry({ "mlb/run:cpu": index });
    const deps = { clientFor: () => client, log: quiet };
    await expect(tagManifest("r.io/mlb/run:gone", ["r.io/mlb/run:x"], deps)).rejects.toThrow(
      "does not exist",
    );
    await expect(tagManifest("r.io/mlb/run:cpu", ["r.io/other/run:cpu"], deps)).rejects.toThrow(
      "can only be tagged in its own repository",
    );
    expect(puts).toEqual([]);
  });
});
