// More tags for an image already in a registry: its manifest (or index) copied byte for byte, so every
// tag has the same digest. What a release does to move <flavor>-<major.minor>-<arch> and the like.
import { MlBuildpacksError } from "./errors.js";
import { tagImage } from "./fast-path/registry.js";
import { formatImageRef, type ImageRef, parseImageRef } from "./image-ref.js";
import type { Logger } from "./log.js";
import { messages } from "./messages.js";
import type { RegistryClient } from "./registry/client.js";

export interface TagManifestResult {
  digest: string;
  tags: string[];
}

/** Pure: the source and the tags to give it; a tag that is a digest is refused before any request. */
export function parseTagRequest(image: string, tags: string[]): { source: ImageRef; tags: ImageRef[] } {
  const source = parseImageRef(image);
  const targets = tags.map((t) => {
    const ref = parseImageRef(t);
    if (ref.digest) throw new MlBuildpacksError(messages.tagNeedsTag(t));
    return ref;
  });
  if (targets.length === 0) throw new MlBuildpacksError(messages.usage("no --tag given", "add --tag REF"));
  return { source, tags: targets };
}

/**
 * Reads the source's manifest once and puts the same bytes under each tag (blobs mounted or copied
 * first when a tag is in another repository). An index is copied as an index: its children must be
 * in the target repository already (a release's are: the tags stay in one repository).
 */
export async function tagManifest(
  image: string,
  tags: string[],
  deps: { clientFor: (registry: string) => RegistryClient; log: Logger },
): Promise<TagManifestResult> {
  const request = parseTagRequest(image, tags);
  const { source } = request;
  const manifest = await deps
    .clientFor(source.registry)
    .getManifest(source.repository, (source.digest ?? source.tag) as string);
  if (!manifest) throw new MlBuildpacksError(messages.tagSourceMissing(formatImageRef(source)));
  const elsewhere = request.tags.find(
    (t) => manifest.body.manifests && (t.registry !== source.registry || t.repository !== source.repository),
  );
  if (elsewhere)
    throw new MlBuildpacksError(
      messages.tagIndexElsewhere(formatImageRef(source), formatImageRef(elsewhere)),
    );
  await tagImage(deps.clientFor, source, manifest, request.tags);
  const shown = request.tags.map(formatImageRef);
  for (const tag of shown) deps.log.info(`${tag} -> ${manifest.digest}`);
  return { digest: manifest.digest, tags: shown };
}
