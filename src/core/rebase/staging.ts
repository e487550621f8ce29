// The staging tag a signed rebase pushes through (see index.ts) is dropped once the real tag names
// the signed image, where the registry deletes manifests. Never by a DELETE of the tag or of the
// image's digest: some registries delete the image itself for either, and the real tag names it.
// Instead the staging tag moves to a placeholder only it names, and the placeholder is deleted.
import { createHash } from "node:crypto";
import type { Logger } from "../log.js";
import type { RegistryClient } from "../registry/client.js";

const EMPTY_CONFIG = Buffer.from("{}");
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

/** Pure: a manifest with no layers, unique to this staging tag and image (so nothing else names it). */
export function placeholderManifest(stagingTag: string, digest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: "application/vnd.oci.empty.v1+json",
        digest: `sha256:${createHash("sha256").update(EMPTY_CONFIG).digest("hex")}`,
        size: EMPTY_CONFIG.length,
      },
      layers: [],
      annotations: {
        "org.opencontainers.image.ref.name": stagingTag,
        "io.ml-buildpacks.rebase.staged": digest,
      },
    }),
  );
}

/** Drops one staging tag (which names `digest`); a failure only leaves it behind, said in the log. */
export async function dropStagingTag(
  client: RegistryClient,
  repository: string,
  staging: { tag: string; digest: string; shown: string },
  log: Logger,
): Promise<void> {
  const placeholder = placeholderManifest(staging.tag, staging.digest);
  try {
    await client.uploadBlob(repository, EMPTY_CONFIG);
    const digest = await client.putManifest(repository, staging.tag, placeholder, OCI_MANIFEST);
    const { deleted, why } = await client.deleteManifest(repository, digest);
    if (!deleted) log.info(`the staging tag ${staging.shown} stays, naming an empty manifest (${why})`);
  } catch (err) {
    log.info(
      `the staging tag ${staging.shown} stays, naming the signed image ${staging.digest} (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}
