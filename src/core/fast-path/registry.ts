import { dueRefresh } from "../../labels/refresh-due.js";
import { formatImageRef, type ImageRef } from "../image-ref.js";
import { type Manifest, type RegistryClient, sha256 } from "../registry/client.js";
import { copyBlobs } from "../registry/copy.js";
import { type AppLayerRecord, appLayerDiffId, type BuiltAppLayer, swapAppLayer } from "./app-layer.js";
import { goJson } from "./go-json.js";
import { changedInputs, inputsFromLabels, inputsLabels, type RecordedInputs } from "./inputs.js";
import { fastPathNotes } from "./notes.js";

/** The label the lifecycle writes with the buildpacks that built an image. */
export const BUILD_METADATA_LABEL = "io.buildpacks.build.metadata";

export interface ImageConfig {
  config?: { Labels?: Record<string, string> };
  rootfs?: { diff_ids?: string[] };
  [key: string]: unknown;
}

/** The previous image as read for the check, kept for a code-change swap. */
export interface PreviousImage {
  manifest: Manifest;
  config: ImageConfig;
  inputs: RecordedInputs;
  /** Which input parts differ, in words. */
  changed: string[];
}

export type PreviousImageCheck =
  | { hit: true; manifest: Manifest; buildpacks: { id: string; version: string }[] }
  | { hit: false; reason: string; previous?: PreviousImage };

/** The image a build compares its inputs with, as read from the registry (or why there is none). */
export type PreviousRead =
  | { manifest: Manifest; config: ImageConfig | undefined; shown: string }
  | { reason: string; error?: unknown };

/**
 * Reads the previous image's manifest and config. Never rejects, so it can start early and be
 * awaited later; a registry error comes back as `error` for the caller to throw.
 */
export async function readPreviousImage(client: RegistryClient, target: ImageRef): Promise<PreviousRead> {
  const shown = formatImageRef(target);
  try {
    const manifest = await client.getManifest(target.repository, target.tag ?? target.digest ?? "latest");
    if (!manifest) return { reason: `no previous image at ${shown}` };
    if (manifest.body.manifests || !manifest.body.config)
      return { reason: `${shown} holds a manifest list, not a single image` };
    return { manifest, config: await client.getConfig<ImageConfig>(target.repository, manifest), shown };
  } catch (error) {
    return { reason: `could not read the previous image at ${shown}`, error };
  }
}

/**
 * Pure: compares this build's inputs with those recorded on the previous image; an image a buildpack
 * asked to rebuild by `now` (ms since the epoch) stands for nothing, not even a code-change swap.
 */
export function checkPreviousImage(
  read: PreviousRead,
  inputs: RecordedInputs,
  now: number,
): PreviousImageCheck {
  if ("reason" in read) return { hit: false, reason: read.reason };
  const { manifest, config, shown } = read;
  const labels = config?.config?.Labels ?? {};
  const previous = inputsFromLabels(labels);
  if (!previous) return { hit: false, reason: `the previous image at ${shown} records no inputs` };
  const due = dueRefresh(labels, now);
  if (due) return { hit: false, reason: fastPathNotes.refreshDue(due.due, due.reason) };
  if (previous.digest !== inputs.digest) {
    const changed = changedInputs(previous, inputs);
    return {
      hit: false,
      reason: `changed since the previous image: ${changed.join(", ") || "input format"}`,
      ...(config ? { previous: { manifest, config, inputs: previous, changed } } : {}),
    };
  }
  return { hit: true, manifest, buildpacks: buildpacksOf(labels[BUILD_METADATA_LABEL]) };
}

/**
 * Adds the inputs label to the image the exporter pushed, under the target tag and every additional
 * tag, with the app-layer record `appRecord` makes from the exported image's labels. Returns the new
 * manifest digest. Leaves the exporter's manifest untagged: only for registries that delete (the
 * build deletes it), and only when pre-export could not give the exporter the label.
 */
export function stampInputs(
  clientFor: (registry: string) => RegistryClient,
  target: ImageRef,
  exportedDigest: string,
  inputs: RecordedInputs,
  additionalTags: readonly ImageRef[],
  appRecord: (labels: Record<string, string>) => AppLayerRecord | undefined = () => undefined,
): Promise<string> {
  return addLabels(
    clientFor,
    { ...target, digest: exportedDigest },
    (labels) => {
      const app = appRecord(labels);
      const layer = appLayerDiffId(labels);
      return inputsLabels(app && layer ? { ...inputs, app: { ...app, layer } } : inputs);
    },
    [target, ...additionalTags],
  );
}

/**
 * Pushes a copy of an image (ref with its digest) with more labels (given, or made from its
 * current ones): a new config blob and manifest, the same layers, tagged as each of `as` (blobs
 * copied into other repositories); returns its digest.
 */
export async function addLabels(
  clientFor: (registry: string) => RegistryClient,
  image: ImageRef,
  more: Record<string, string> | ((current: Record<string, string>) => Record<string, string>),
  as: readonly ImageRef[],
): Promise<string> {
  const client = clientFor(image.registry);
  const reference = image.digest ?? image.tag ?? "latest";
  const manifest = await client.getManifest(image.repository, reference);
  const config = manifest && (await client.getConfig<ImageConfig>(image.repository, manifest));
  if (!manifest?.body.config || !config)
    throw new Error(`${formatImageRef(image)} is not a readable single-platform image`);
  const current = config.config?.Labels ?? {};
  const labels = typeof more === "function" ? more(current) : more;
  config.config = { ...config.config, Labels: { ...current, ...labels } };
  return (await pushImage(clientFor, image, manifest, config, manifest.body, as)).digest;
}

/** Uploads a config, puts the manifest that names it by digest, then moves every tag of `as` to it. */
async function pushImage(
  clientFor: (registry: string) => RegistryClient,
  image: ImageRef,
  previous: Manifest,
  config: ImageConfig,
  manifestBody: Manifest["body"],
  as: readonly ImageRef[],
): Promise<Manifest> {
  const client = clientFor(image.registry);
  // As Go writes it: a swapped config is then byte for byte the exporter's for the same tree.
  const configRaw = Buffer.from(goJson(config));
  const configDigest = await client.uploadBlob(image.repository, configRaw);
  const body = {
    ...manifestBody,
    config: { ...manifestBody.config, digest: configDigest, size: configRaw.length },
  };
  const raw = Buffer.from(JSON.stringify(body));
  // By digest first (untagged), so every tag below points at a manifest the registry already holds.
  const digest = await client.putManifest(image.repository, sha256(raw), raw, previous.mediaType);
  const pushed = { ...previous, raw, body, digest };
  await tagImage(clientFor, { ...image, digest }, pushed, as);
  return pushed;
}

/**
 * The code-change path's push: the previous image (at `source`) with `layer` as its app layer and
 * the new inputs (with `record`, now naming the new layer), as the target and every other tag of
 * `as` (the first is the target).
 */
export async function pushAppLayerSwap(
  clientFor: (registry: string) => RegistryClient,
  source: ImageRef,
  previous: PreviousImage,
  layer: BuiltAppLayer,
  inputs: RecordedInputs,
  record: AppLayerRecord,
  as: readonly [ImageRef, ...ImageRef[]],
): Promise<Manifest> {
  const target = as[0];
  const client = clientFor(target.registry);
  if (source.registry !== target.registry || source.repository !== target.repository)
    await copyBlobs(
      previous.manifest,
      { ref: source, client: clientFor(source.registry) },
      { ref: target, client },
    );
  const digest = await client.uploadBlob(target.repository, layer.gzip);
  const swapped = swapAppLayer(
    previous.config,
    previous.manifest.body,
    { diffId: layer.diffId, digest, size: layer.gzip.length },
    inputsLabels({ ...inputs, app: { ...record, layer: layer.diffId } }),
  );
  if ("problem" in swapped) throw new Error(swapped.problem);
  return pushImage(clientFor, target, previous.manifest, swapped.config, swapped.manifest, as);
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

export function buildpacksOf(label: string | undefined): { id: string; version: string }[] {
  try {
    const doc = JSON.parse(label ?? "{}") as { buildpacks?: { id: string; version: string }[] };
    return (doc.buildpacks ?? []).map(({ id, version }) => ({ id, version }));
  } catch {
    return [];
  }
}
