import type { ImageInspect } from "../docker.js";
import { imageEnv } from "../docker.js";
import { MlBuildpacksError } from "../errors.js";
import { messages } from "../messages.js";
import { BUILDER_METADATA_LABEL, type BuilderMetadata, type BuildpackInfo } from "./metadata.js";

/** What a build needs to know about its builder image. */
export interface BuilderInfo {
  ref: string;
  imageId: string;
  /** Registry digest when the image came from a registry. */
  digest: string | undefined;
  platform: string;
  uid: number;
  gid: number;
  lifecycleVersion: string;
  platformApis: string[];
  runImages: string[];
  buildpacks: BuildpackInfo[];
  stackId: string | undefined;
  /** False when read from the registry: the daemon must pull it before phases run in it. */
  inDaemon: boolean;
}

/** Pure: reads a builder image's inspect data; throws when it is not a usable builder. */
export function builderInfo(ref: string, image: ImageInspect): BuilderInfo {
  const labels = image.Config.Labels ?? {};
  const raw = labels[BUILDER_METADATA_LABEL];
  if (!raw)
    throw new MlBuildpacksError(messages.notABuilder(ref, `it has no ${BUILDER_METADATA_LABEL} label`));
  const metadata = JSON.parse(raw) as Partial<BuilderMetadata>;
  const uid = Number(imageEnv(image, "CNB_USER_ID"));
  const gid = Number(imageEnv(image, "CNB_GROUP_ID"));
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || imageEnv(image, "CNB_USER_ID") === undefined)
    throw new MlBuildpacksError(
      messages.notABuilder(ref, "CNB_USER_ID/CNB_GROUP_ID are not set in its environment"),
    );
  const runImages = (metadata.images ?? []).map((i) => i.image);
  if (runImages.length === 0 && metadata.stack?.runImage?.image)
    runImages.push(metadata.stack.runImage.image);
  const digest = (image.RepoDigests ?? [])
    .map((d) => d.slice(d.indexOf("@") + 1))
    .find((d) => d.startsWith("sha256:"));
  return {
    ref,
    imageId: image.Id,
    digest,
    // arm64's "v8" variant is implied; some tools record it, others don't.
    platform: `${image.Os}/${image.Architecture}${image.Variant && !(image.Architecture === "arm64" && image.Variant === "v8") ? `/${image.Variant}` : ""}`,
    uid,
    gid,
    lifecycleVersion: metadata.lifecycle?.version ?? "unknown",
    platformApis: metadata.lifecycle?.apis?.platform?.supported ?? [],
    runImages,
    buildpacks: metadata.buildpacks ?? [],
    stackId: labels["io.buildpacks.stack.id"],
    inDaemon: true,
  };
}
