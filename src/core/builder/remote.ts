import type { ImageInspect } from "../docker.js";
import type { ImageRef } from "../image-ref.js";
import { formatImageRef } from "../image-ref.js";
import { manifestSize, type RegistryClient } from "../registry/client.js";

interface ImageConfigBlob {
  os?: string;
  architecture?: string;
  variant?: string;
  config?: { Env?: string[]; Labels?: Record<string, string>; User?: string };
  rootfs?: { diff_ids?: string[] };
}

/**
 * What `docker image inspect` would say about a single-platform image, read from the registry
 * (manifest and config blob, a few ms): a build whose previous image is up to date never needs the
 * builder in the Docker daemon. The Id is the config digest, as Docker's image ID is.
 */
export async function inspectRemoteImage(
  client: RegistryClient,
  ref: ImageRef,
): Promise<ImageInspect | undefined> {
  const manifest = await client.getManifest(ref.repository, ref.digest ?? ref.tag ?? "latest");
  const configDigest = manifest?.body.config?.digest;
  if (!manifest || manifest.body.manifests || !configDigest) return undefined;
  const config = await client.getConfig<ImageConfigBlob>(ref.repository, manifest);
  if (!config) return undefined;
  return {
    Id: configDigest,
    RepoDigests: [formatImageRef({ ...ref, tag: undefined, digest: manifest.digest })],
    Os: config.os ?? "",
    Architecture: config.architecture ?? "",
    ...(config.variant ? { Variant: config.variant } : {}),
    Size: manifestSize(manifest) ?? 0,
    Config: {
      Env: config.config?.Env ?? null,
      Labels: config.config?.Labels ?? null,
      ...(config.config?.User ? { User: config.config.User } : {}),
    },
    RootFS: { Layers: config.rootfs?.diff_ids ?? [] },
  };
}
