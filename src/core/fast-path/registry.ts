import { formatImageRef, type ImageRef } from "../image-ref.js";
import { type Manifest, type RegistryClient, sha256 } from "../registry/client.js";
import { copyBlobs } from "../registry/copy.js";
import { changedInputs, INPUTS_LABEL, parseInputsLabel, type RecordedInputs } from "./inputs.js";

/** The label the lifecycle writes with the buildpacks that built an image. */
const BUILD_METADATA_LABEL = "io.buildpacks.build.metadata";

interface ImageConfig {
  config?: { Labels?: Record<string, string> };
  [key: string]: unknown;
}

export type PreviousImageCheck =
  | { hit: true; manifest: Manifest; buildpacks: { id: string; version: string }[] }
  | { hit: false; reason: string };

/** Compares this build's inputs with those recorded on the image the target tag holds now. */
export async function checkPreviousImage(
  client: RegistryClient,
  target: ImageRef,
  inputs: RecordedInputs,
): Promise<PreviousImageCheck> {
  const shown = formatImageRef(target);
  const manifest = await client.getManifest(target.repository, target.tag ?? target.digest ?? "latest");
  if (!manifest) return { hit: false, reason: `no previous image at ${shown}` };
  if (manifest.body.manifests || !manifest.body.config)
    return { hit: false, reason: `${shown} holds a manifest list, not a single image` };
  const config = await client.getConfig<ImageConfig>(target.repository, manifest);
  const labels = config?.config?.Labels ?? {};
  const previous = parseInputsLabel(labels[INPUTS_LABEL]);
  if (!previous) return { hit: false, reason: `the previous image at ${shown} records no inputs` };
  if (previous.digest !== inputs.digest) {
    const changed = changedInputs(previous, inputs);
    return {
      hit: false,
      reason: `changed since the previous image: ${changed.join(", ") || "input format"}`,
    };
  }
  return { hit: true, manifest, buildpacks: buildpacksOf(labels[BUILD_METADATA_LABEL]) };
}

/**
 * Adds the inputs label to the image the exporter pushed, under the target tag and every additional
 * tag. Returns the new manifest digest.
 */
export function stampInputs(
  clientFor: (registry: string) => RegistryClient,
  target: ImageRef,
  exportedDigest: string,
  inputs: RecordedInputs,
  additionalTags: readonly ImageRef[],
): Promise<string> {
  return addLabels(
    clientFor,
    { ...target, digest: exportedDigest },
    { [INPUTS_LABEL]: JSON.stringify(inputs) },
    [target, ...additionalTags],
  );
}

/**
 * Pushes a copy of an image (ref with its digest) with more labels: a new config blob and manifest,
 * the same layers, tagged as each of `as` (blobs copied into other repositories); returns its digest.
 */
export async function addLabels(
  clientFor: (registry: string) => RegistryClient,
  image: ImageRef,
  labels: Record<string, string>,
  as: readonly ImageRef[],
): Promise<string> {
  const client = clientFor(image.registry);
  const reference = image.digest ?? image.tag ?? "latest";
  const manifest = await client.getManifest(image.repository, reference);
  const config = manifest && (await client.getConfig<ImageConfig>(image.repository, manifest));
  if (!manifest?.body.config || !config)
    throw new Error(`${formatImageRef(image)} is not a readable single-platform image`);
  config.config = { ...config.config, Labels: { ...config.config?.Labels, ...labels } };
  const configRaw = Buffer.from(JSON.stringify(config));
  const configDigest = await client.uploadBlob(image.repository, configRaw);
  const body = {
    ...manifest.body,
    config: { ...manifest.body.config, digest: configDigest, size: configRaw.length },
  };
  const raw = Buffer.from(JSON.stringify(body));
  // By digest first (untagged), so every tag below points at a manifest the registry already holds.
  const digest = await client.putManifest(image.repository, sha256(raw), raw, manifest.mediaType);
  await tagImage(clientFor, { ...image, digest }, { ...manifest, raw, body, digest }, as);
  return digest;
}

/** Points further tags at an image of the target repository, copying blobs into other repositories. */
export async function tagImage(
  clientFor: (registry: string) => RegistryClient,
  source: ImageRef,
  manifest: Manifest,
  tags: readonly ImageRef[],
): Promise<void> {
  for (const tag of tags) {
    const client = clientFor(tag.registry);
    if (tag.registry !== source.registry || tag.repository !== source.repository)
      await copyBlobs(manifest, { ref: source, client: clientFor(source.registry) }, { ref: tag, client });
    await client.putManifest(tag.repository, tag.tag ?? "latest", manifest.raw, manifest.mediaType);
  }
}

function buildpacksOf(label: string | undefined): { id: string; version: string }[] {
  try {
    const doc = JSON.parse(label ?? "{}") as { buildpacks?: { id: string; version: string }[] };
    return (doc.buildpacks ?? []).map(({ id, version }) => ({ id, version }));
  } catch {
    return [];
  }
}
