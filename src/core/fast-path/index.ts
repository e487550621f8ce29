import type { BuilderInfo } from "../builder/inspect.js";
import { parseImageRef } from "../image-ref.js";
import { parsePlatform, samePlatform } from "../manifest.js";
import type { RegistryClient } from "../registry/client.js";
import type { BuildRequest } from "../request.js";
import { ML_BUILDPACKS_VERSION } from "../version.js";
import { workspaceSource } from "../workspace.js";
import { type AppLayerRecord, appLayerDiffId, appLayerKey, parseAppLayerRecord } from "./app-layer.js";
import { inputParts, PART_NAMES, type RecordedInputs, recordInputs } from "./inputs.js";
import { fastPathNotes } from "./notes.js";
import {
  checkPreviousImage,
  type PreviousImage,
  type PreviousImageCheck,
  type PreviousRead,
  readPreviousImage,
} from "./registry.js";
import { digestOfTree, listSourceTree, type SourceTree } from "./source-digest.js";

export { pushAppLayerSwap, stampInputs, tagImage } from "./registry.js";

/**
 * This build's inputs, or why they can't be pinned down (then the build runs in full and the image
 * gets no inputs label).
 */
export async function collectInputs(
  req: BuildRequest,
  builder: BuilderInfo,
  platformApi: string,
  clientFor: (registry: string) => RegistryClient,
): Promise<{ inputs: RecordedInputs; files: number; tree: SourceTree } | { reason: string }> {
  const runImage = req.runImage ?? builder.runImages[0];
  if (!runImage) return { reason: "the builder names no run image" };
  const runImageRead = registryDigest(runImage, builder.platform, clientFor);
  // The image ID (config digest) names the builder's content whichever repository it came from; the
  // local executor runs inside the builder and knows it only by reference, so it asks the registry.
  const builderRead =
    builder.imageId || builder.digest || registryDigest(req.builder, builder.platform, clientFor);
  // Hashed while the registry answers.
  // The digest covers what the executors copy into the workspace (workspace.ts).
  const tree = listSourceTree(
    req.appDir,
    workspaceSource(req.appDir, req.cacheDir, [req.sbomOutputDir]).excluded,
  );
  const source = digestOfTree(tree);
  const [runImageDigest, builderDigest] = await Promise.all([runImageRead, builderRead]);
  if (!runImageDigest) return { reason: `the run image ${runImage} is not in a registry` };
  if (!builderDigest) return { reason: `the digest of the builder ${req.builder} is unknown` };
  const parts = inputParts({
    sourceDigest: source.digest,
    env: req.env,
    builderDigest,
    runImageDigest,
    buildpacks: builder.buildpacks,
    platform: builder.platform,
    defaultProcess: req.defaultProcess,
    lifecycleVersion: builder.lifecycleVersion,
    platformApi,
    toolVersion: ML_BUILDPACKS_VERSION,
  });
  return { inputs: recordInputs(parts), files: source.files, tree };
}

/** The digest of the platform's image behind a reference (an index resolves to its child). */
async function registryDigest(
  ref: string,
  platform: string,
  clientFor: (registry: string) => RegistryClient,
): Promise<string | undefined> {
  const parsed = parseImageRef(ref);
  const manifest = await clientFor(parsed.registry)
    .getManifest(parsed.repository, parsed.digest ?? parsed.tag ?? "latest")
    .catch(() => undefined);
  if (!manifest) return undefined;
  if (!manifest.body.manifests) return manifest.digest;
  const wanted = parsePlatform(platform);
  return manifest.body.manifests.find((m) => wanted && m.platform && samePlatform(m.platform, wanted))
    ?.digest;
}

/** What the fast path decided, for the log and the build report. */
export interface FastPathOutcome {
  /** The inputs to record on the image (undefined when they could not be pinned down). */
  inputs: RecordedInputs | undefined;
  /** The previous image, when it was built from the same inputs. */
  reuse: Extract<PreviousImageCheck, { hit: true }> | undefined;
  /** The previous image, when only app files no buildpack read changed: its app layer is replaced. */
  swap?: { previous: PreviousImage; record: AppLayerRecord };
  /** The source tree the inputs were taken from (the app layer is made from it). */
  tree?: SourceTree;
  reason: string;
}

/**
 * Decides whether the image at the target tag (or --previous-image) can stand for this build.
 * `previousRead` is that image's read when the caller started it early (it overlaps the builder's).
 */
export async function decideFastPath(
  req: BuildRequest,
  builder: BuilderInfo,
  platformApi: string,
  clientFor: (registry: string) => RegistryClient,
  previousRead?: Promise<PreviousRead>,
  now: () => number = Date.now,
): Promise<FastPathOutcome> {
  const off = (reason: string): FastPathOutcome => ({ inputs: undefined, reuse: undefined, reason });
  if (!req.publish) return off(fastPathNotes.daemon);
  const collected = await collectInputs(req, builder, platformApi, clientFor);
  if ("reason" in collected) return off(collected.reason);
  const { inputs, tree } = collected;
  // Either flag asks for a full build; the image it makes still records its inputs for the next one.
  if (!req.fastPath) return { inputs, tree, reuse: undefined, reason: fastPathNotes.disabled };
  if (req.clearCache) return { inputs, tree, reuse: undefined, reason: fastPathNotes.clearCache };
  const read = await (previousRead ?? startPreviousRead(req, clientFor));
  if ("error" in read && read.error) throw read.error;
  const check = checkPreviousImage(read, inputs, now());
  if (check.hit) return { inputs, tree, reuse: check, reason: fastPathNotes.hit(collected.files) };
  const swap = check.previous && appSwap(check.previous, tree);
  return swap
    ? { inputs, tree, reuse: undefined, swap, reason: fastPathNotes.appOnly(collected.files) }
    : { inputs, tree, reuse: undefined, reason: check.reason };
}

/** Reads the image this build compares with: --previous-image, or what the target tag holds now. */
export function startPreviousRead(
  req: Pick<BuildRequest, "previousImage" | "image">,
  clientFor: (registry: string) => RegistryClient,
): Promise<PreviousRead> {
  const previous = parseImageRef(req.previousImage ?? req.image);
  return readPreviousImage(clientFor(previous.registry), previous);
}

/**
 * The previous image can take the new app layer when the source files are all that changed, the
 * tree has the same shape (no file added, removed or renamed), no file a buildpack read changed and
 * its app layer is the one its record names (the exporter's layer was the source tree itself).
 */
export function appSwap(previous: PreviousImage, tree: SourceTree): FastPathOutcome["swap"] {
  const record = parseAppLayerRecord(previous.inputs.app);
  if (!record || previous.changed.length !== 1 || previous.changed[0] !== PART_NAMES.source) return undefined;
  if (!record.layer || record.layer !== appLayerDiffId(previous.config.config?.Labels ?? {}))
    return undefined;
  return appLayerKey(tree, record.files) === record.key ? { previous, record } : undefined;
}
