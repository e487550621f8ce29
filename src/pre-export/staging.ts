// The staging image the exporter takes as its previous image: the real previous image's layers (so
// everything it would have reused is still there) plus the layers pre-export pushed. Never tagged,
// never run: only its manifest and config's diff_ids are read (imgutil LayerByDiffID). The platform
// deletes its manifest once the exporter is done (the blobs stay: the image uses them).
import type { ImageConfig } from "../core/fast-path/registry.js";
import type { Platform } from "../core/manifest.js";
import type { Manifest } from "../core/registry/client.js";

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
const OCI_GZIP_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

export interface PushedBlob {
  diffId: string;
  digest: string;
  size: number;
}

/** Label of the staging config that makes each build's staging manifest its own. */
export const STAGING_LABEL = "dev.ml-buildpacks.staging";

/**
 * Pure: the staging config and a manifest maker (the config's digest and size go into it). `nonce`
 * keeps two builds of the same layers from sharing one manifest, which the platform deletes after
 * the export.
 */
export function stagingImage(
  platform: Platform,
  previous: { manifest: Manifest["body"]; config: ImageConfig } | undefined,
  pushed: readonly PushedBlob[],
  nonce: string,
): { config: Buffer; manifest: (config: { digest: string; size: number }) => Buffer } {
  const config = Buffer.from(
    JSON.stringify({
      ...platform,
      rootfs: {
        type: "layers",
        diff_ids: [...(previous?.config.rootfs?.diff_ids ?? []), ...pushed.map((p) => p.diffId)],
      },
      config: { Labels: { [STAGING_LABEL]: nonce } },
    }),
  );
  const layers = [
    ...(previous?.manifest.layers ?? []),
    ...pushed.map((p) => ({ mediaType: OCI_GZIP_LAYER, digest: p.digest, size: p.size })),
  ];
  return {
    config,
    manifest: (c) =>
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          config: { mediaType: OCI_CONFIG, digest: c.digest, size: c.size },
          layers,
        }),
      ),
  };
}
