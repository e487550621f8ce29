import { MlBuildpacksError } from "../core/errors.js";
import { parseImageRef } from "../core/image-ref.js";
import { type IndexChild, splitPlatformPrefix } from "../core/manifest.js";
import { lowerCaseRepository } from "./inputs.js";
import { messages } from "./messages.js";

export interface MergeInputs {
  image: string;
  /**
   * The `images` lines (a tag or digest; a tag is pinned when it is checked), then the `digests` lines
   * (in the repository of `image`), each maybe with its platform.
   */
  sources: IndexChild[];
}

/** Pure: the merge action's raw inputs -> the index tag and its sources (tags are resolved later). */
export function parseMergeInputs(get: (name: string) => string): MergeInputs {
  const image = lowerCaseRepository(get("image"));
  if (!image) throw new MlBuildpacksError(messages.required("image"));
  const target = parseImageRef(image);
  if (target.digest) throw new MlBuildpacksError(messages.mergeNeedsTag(image));
  const fromImages = lines(get("images")).map((line) => {
    const { platformText, rest, expected } = splitPlatformPrefix(line);
    if (platformText && !expected) throw new MlBuildpacksError(messages.badMergeLine(line));
    return { ref: parseImageRef(lowerCaseRepository(rest)), expected };
  });
  // digests: what each matrix leg's build step output, all pushed to the index's own repository.
  const fromDigests = lines(get("digests")).map((line) => {
    const { platformText, rest, expected } = splitPlatformPrefix(line);
    if ((platformText && !expected) || !DIGEST.test(rest))
      throw new MlBuildpacksError(messages.badMergeDigest(line));
    return { ref: { ...target, tag: undefined, digest: rest }, expected };
  });
  const sources = [...fromImages, ...fromDigests];
  if (sources.length === 0) throw new MlBuildpacksError(messages.mergeNeedsSources());
  return { image, sources };
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** One entry per line (or comma-separated); blank lines and # comments skipped. */
function lines(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}
