// What a build names, parsed once: the image, its further tags, the previous image, and the
// registries all of them (and a run-image override) live in.
import { MlBuildpacksError } from "../errors.js";
import { formatImageRef, type ImageRef, parseImageRef, parseTargetRef } from "../image-ref.js";
import { messages } from "../messages.js";
import type { BuildRequest } from "../request.js";

export interface BuildTargets {
  target: ImageRef;
  tags: ImageRef[];
  previous: ImageRef | undefined;
  /** Every registry the build reads or writes before the builder is known (no duplicates). */
  registries: string[];
}

/** Pure; refuses a previous image in another registry (the lifecycle reads both with one login). */
export function buildTargets(
  req: Pick<BuildRequest, "image" | "additionalTags" | "previousImage" | "runImage">,
): BuildTargets {
  const target = parseTargetRef(req.image, "the image");
  const tags = req.additionalTags.map((t) => parseTargetRef(t, "the tag"));
  const previous = req.previousImage ? parseImageRef(req.previousImage) : undefined;
  if (previous && previous.registry !== target.registry)
    throw new MlBuildpacksError(messages.previousImageElsewhere(req.previousImage as string, req.image));
  const runImage = req.runImage ? [parseImageRef(req.runImage)] : [];
  const all = [target, ...tags, ...(previous ? [previous] : []), ...runImage];
  return { target, tags, previous, registries: [...new Set(all.map((r) => r.registry))] };
}

/** The target and its further tags as written in reports and given to the exporter. */
export function tagNames(names: BuildTargets): { image: string; tags: string[] } {
  return { image: formatImageRef(names.target), tags: names.tags.map(formatImageRef) };
}
