import { MlBuildpacksError } from "../errors.js";
import { formatImageRef, type ImageRef } from "../image-ref.js";
import { messages } from "../messages.js";
import type { Descriptor, Manifest, RegistryClient } from "./client.js";

/**
 * Makes every blob of an image present in another repository: already there, mounted (same
 * registry) or streamed from the source into an upload (multi-GB layers never sit in memory; the
 * digest is checked on the way, and a failed upload re-opens the source). The manifest itself is
 * left to the caller (by digest or tag).
 */
export async function copyBlobs(
  manifest: Manifest,
  from: { ref: ImageRef; client: RegistryClient },
  to: { ref: ImageRef; client: RegistryClient },
): Promise<{ mounted: number; copied: number; present: number }> {
  const blobs = [manifest.body.config, ...(manifest.body.layers ?? [])].filter((d): d is Descriptor => !!d);
  let mounted = 0;
  let copied = 0;
  for (const blob of blobs) {
    if (await to.client.blobExists(to.ref.repository, blob.digest)) continue;
    if (
      from.ref.registry === to.ref.registry &&
      (await to.client.mountBlob(to.ref.repository, blob.digest, from.ref.repository))
    ) {
      mounted++;
      continue;
    }
    const open = async () => {
      const body = await from.client.openBlob(from.ref.repository, blob.digest);
      if (!body)
        throw new MlBuildpacksError(
          messages.childMissing(`${formatImageRef(from.ref)} (blob ${blob.digest})`),
        );
      return body;
    };
    await to.client.uploadBlobFrom(to.ref.repository, blob, open);
    copied++;
  }
  return { mounted, copied, present: blobs.length - mounted - copied };
}
