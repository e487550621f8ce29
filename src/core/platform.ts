import { MlBuildpacksError } from "./errors.js";
import { formatImageRef, parseImageRef } from "./image-ref.js";
import { formatPlatform, parsePlatform, samePlatform } from "./manifest.js";
import { messages } from "./messages.js";
import type { RegistryClient } from "./registry/client.js";

/** The platform this process runs on, as OCI names it (linux/amd64, linux/arm64). */
export function hostPlatform(arch: string = process.arch): string {
  const names: Record<string, string> = {
    x64: "amd64",
    arm64: "arm64",
    arm: "arm",
    ppc64: "ppc64le",
    s390x: "s390x",
  };
  return `linux/${names[arch] ?? arch}`;
}

/**
 * Pins a reference to the image for one platform: a multi-arch index resolves to its child's digest,
 * so `docker run` and `FROM` never depend on which platform a local tag happens to hold. References
 * the registry doesn't know (local-only images) and single-platform images are returned unchanged.
 */
export async function pinForPlatform(
  ref: string,
  platform: string,
  clientFor: (registry: string) => RegistryClient,
): Promise<string> {
  const parsed = parseImageRef(ref);
  const wanted = parsePlatform(platform);
  if (!wanted) throw new MlBuildpacksError(messages.badPlatform(platform));
  let manifest: Awaited<ReturnType<RegistryClient["getManifest"]>>;
  try {
    manifest = await clientFor(parsed.registry).getManifest(
      parsed.repository,
      parsed.digest ?? (parsed.tag as string),
    );
  } catch {
    return ref; // registry unreachable: the image can only be a local one
  }
  if (!manifest?.body.manifests) return ref;
  const child = manifest.body.manifests.find((m) => m.platform && samePlatform(m.platform, wanted));
  if (!child) {
    const available = manifest.body.manifests.flatMap((m) =>
      m.platform ? [formatPlatform(m.platform)] : [],
    );
    throw new MlBuildpacksError(messages.platformNotInIndex(ref, platform, available));
  }
  return formatImageRef({ ...parsed, tag: undefined, digest: child.digest });
}
