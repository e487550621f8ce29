import { MlBuildpacksError } from "../core/errors.js";
import { parseImageRef } from "../core/image-ref.js";
import { type IndexChild, parsePlatform } from "../core/manifest.js";
import { lowerCaseRepository } from "./inputs.js";
import { messages } from "./messages.js";

export interface MergeInputs {
  image: string;
  /** The `images` lines: a tag or digest (a tag is pinned when it is checked), maybe with its platform. */
  sources: IndexChild[];
}

/** Pure: the merge action's raw inputs -> the index tag and its sources (tags are resolved later). */
export function parseMergeInputs(get: (name: string) => string): MergeInputs {
  const image = lowerCaseRepository(get("image"));
  if (!image) throw new MlBuildpacksError(messages.required("image"));
  const target = parseImageRef(image);
  if (target.digest) throw new MlBuildpacksError(messages.mergeNeedsTag(image));
  const sources = get("images")
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const eq = line.indexOf("=");
      const platformText = eq > 0 && !line.slice(0, eq).includes(":") ? line.slice(0, eq) : undefined;
      const expected = platformText ? parsePlatform(platformText) : undefined;
      if (platformText && !expected) throw new MlBuildpacksError(messages.badMergeLine(line));
      return { ref: parseImageRef(lowerCaseRepository(platformText ? line.slice(eq + 1) : line)), expected };
    });
  if (sources.length === 0) throw new MlBuildpacksError(messages.required("images"));
  return { image, sources };
}
