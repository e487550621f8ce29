// What a rebase does for each platform, decided from the images' manifests and configs before anything
// runs or is pushed: pure, so every refusal is tested without a registry.
import { MlBuildpacksError } from "../errors.js";
import { formatImageRef, type ImageRef, parseImageRef } from "../image-ref.js";
import { formatPlatform, type Platform, samePlatform } from "../manifest.js";
import { rebaseMessages } from "./messages.js";

export const LIFECYCLE_METADATA = "io.buildpacks.lifecycle.metadata";

/** The parts of an image config a rebase reads. */
export interface ImageConfig {
  os: string;
  architecture: string;
  variant?: string;
  config?: { Labels?: Record<string, string> | null };
  rootfs?: { diff_ids?: string[] };
}

/** The run image an app image records in its lifecycle metadata label. */
export interface RecordedRunImage {
  /** diffID of the run image's top layer: everything up to it is swapped. */
  topLayer: string;
  /** repo@digest of the run image it was built on (or last rebased onto). */
  reference: string;
  /** Its name (the builder's run image) and mirrors; the default run image to rebase onto. */
  names: string[];
}

interface RunImageMetadata {
  topLayer?: string;
  reference?: string;
  image?: string;
  mirrors?: string[];
}

const labelsOf = (config: ImageConfig) => config.config?.Labels ?? {};

export const platformOf = (config: ImageConfig): Platform => ({
  os: config.os,
  architecture: config.architecture,
  ...(config.variant ? { variant: config.variant } : {}),
});

/** Pure: the run image an app image was built on; throws when it is not a buildpacks image. */
export function recordedRunImage(image: string, config: ImageConfig): RecordedRunImage {
  const raw = labelsOf(config)[LIFECYCLE_METADATA];
  if (!raw) throw new MlBuildpacksError(rebaseMessages.notBuildpacksImage(image));
  let md: { runImage?: RunImageMetadata; stack?: { runImage?: RunImageMetadata } };
  try {
    md = JSON.parse(raw) as typeof md;
  } catch {
    throw new MlBuildpacksError(rebaseMessages.notBuildpacksImage(image));
  }
  const run = md.runImage ?? {};
  if (!run.topLayer) throw new MlBuildpacksError(rebaseMessages.notBuildpacksImage(image));
  // Platform API 0.12+ records runImage.image; older images only stack.runImage (as the lifecycle reads it).
  const named = run.image ? run : (md.stack?.runImage ?? {});
  const names = [named.image, ...(named.mirrors ?? [])].filter((n): n is string => Boolean(n)).map(byTag);
  return { topLayer: run.topLayer, reference: run.reference ?? "", names };
}

/**
 * Pure: a recorded name without its digest when it has a tag (a forced rebase records name:tag@digest),
 * so the tag is looked up again and a newer patch under it is found.
 */
function byTag(name: string): string {
  try {
    const ref = parseImageRef(name);
    return ref.tag && ref.digest ? formatImageRef({ ...ref, digest: undefined }) : name;
  } catch {
    return name;
  }
}

/** Pure: a name as the lifecycle compares run image names: registry/repository:tag, no digest. */
export function comparableName(ref: string): string {
  return formatImageRef({ ...parseImageRef(ref.replace(/@.*$/, "")), digest: undefined });
}

/** Pure: the run image to rebase onto by default: the recorded name in the image's registry, else the first. */
export function defaultRunImageName(names: readonly string[], registry: string): string | undefined {
  return names.find((n) => parseImageRef(n).registry === registry) ?? names[0];
}

/**
 * Pure: the tag each platform's rebased image is pushed under before the list moves: TAG-ARCH
 * (TAG-OS-ARCH off linux, -VARIANT appended), as per-arch images are commonly tagged.
 */
export function archTag(tag: string, platform: Platform): string {
  const parts = [
    tag,
    platform.os === "linux" ? undefined : platform.os,
    platform.architecture,
    platform.variant,
  ];
  return parts.filter(Boolean).join("-").slice(0, 128);
}

/**
 * Pure: where the rebaser pushes when the rebase signs: not the tag itself, which the lifecycle would
 * move before anything could be signed, but this tag next to it, moved to the signed digest after.
 */
export function stagingTag(tag: string): string {
  const suffix = ".rebase-staging";
  return `${tag.slice(0, 128 - suffix.length)}${suffix}`;
}

/** Labels that say which stack an image is of; a rebase onto another one is refused. */
const STACK_LABELS = [
  "io.buildpacks.base.distro.name",
  "io.buildpacks.base.distro.version",
  "io.buildpacks.base.id",
  "io.buildpacks.stack.id",
] as const;

/** Pure: throws when the run image is of another platform or stack than the app image. */
export function checkRunImage(o: {
  appConfig: ImageConfig;
  runConfig: ImageConfig;
  runImage: string;
  image: string;
}): void {
  const app = platformOf(o.appConfig);
  const run = platformOf(o.runConfig);
  if (!samePlatform(app, run))
    throw new MlBuildpacksError(
      rebaseMessages.runImagePlatform(o.runImage, formatPlatform(app), [formatPlatform(run)]),
    );
  if (labelsOf(o.appConfig)["io.buildpacks.rebasable"] === "false")
    throw new MlBuildpacksError(rebaseMessages.notRebasable(o.image));
  const appLabels = labelsOf(o.appConfig);
  const runLabels = labelsOf(o.runConfig);
  for (const label of STACK_LABELS) {
    const a = appLabels[label];
    const r = runLabels[label];
    // A label only one side has says nothing; both having it and differing is another stack.
    if (a !== undefined && r !== undefined && a !== r)
      throw new MlBuildpacksError(rebaseMessages.otherStack(o.runImage, formatPlatform(app), label, a, r));
  }
}

/** What the rebaser is run with for one platform (or that it need not run). */
export interface ArchPlan {
  platform: Platform;
  /** The app image of this platform, repo@digest: the rebaser's -previous-image. */
  image: string;
  previousDigest: string;
  /** Where the rebaser pushes (the list's tag for a single image, else archTag). */
  output: string;
  /** The run image pinned to this platform's digest, as -run-image; name:tag@digest keeps its name. */
  runImage: string;
  /** The run image it is on now (the recorded reference). */
  previousRunImage: string;
  /**
   * The run image is not one the image recorded (another name, e.g. a patched copy): the lifecycle
   * refuses it unless forced, and -force also skips its target checks, which checkRunImage made.
   */
  force: boolean;
  /** Already on this run image (same top layer): nothing to do. */
  upToDate: boolean;
}

/** Pure: one platform's plan from its app image and the resolved run image. */
export function planArch(o: {
  target: ImageRef;
  single: boolean;
  appDigest: string;
  appConfig: ImageConfig;
  recorded: RecordedRunImage;
  runImage: { ref: ImageRef; digest: string; config: ImageConfig };
}): ArchPlan {
  const platform = platformOf(o.appConfig);
  const image = formatImageRef({ ...o.target, tag: undefined, digest: o.appDigest });
  const runName = formatImageRef({ ...o.runImage.ref, digest: undefined });
  checkRunImage({ appConfig: o.appConfig, runConfig: o.runImage.config, runImage: runName, image });
  const recordedNames = o.recorded.names.map(comparableName);
  const topLayer = o.runImage.config.rootfs?.diff_ids?.at(-1);
  return {
    platform,
    image,
    previousDigest: o.appDigest,
    output: formatImageRef({
      ...o.target,
      digest: undefined,
      tag: o.single ? o.target.tag : archTag(o.target.tag as string, platform),
    }),
    runImage: formatImageRef({ ...o.runImage.ref, digest: o.runImage.digest }),
    previousRunImage: o.recorded.reference,
    force: !recordedNames.includes(comparableName(runName)),
    upToDate: topLayer !== undefined && topLayer === o.recorded.topLayer,
  };
}
