import { MlBuildpacksError } from "../errors.js";
import { formatImageRef, type ImageRef } from "../image-ref.js";
import { messages } from "../messages.js";
import type { Descriptor, Manifest, RegistryClient } from "./client.js";

/**
 * Makes every blob of an image present in another repository: already there, mounted (same
 * registry) or downloaded and uploaded. The manifest itself is left to the caller (by digest or tag).
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
    const data = await from.client.getBlob(from.ref.repository, blob.digest);
    if (!data)
      throw new MlBuildpacksError(messages.childMissing(`${formatImageRef(from.ref)} (blob ${blob.digest})`));
    await to.client.uploadBlob(to.ref.repository, data);
    copied++;
  }
  return { mounted, copied, present: blobs.length - mounted - copied };
}
