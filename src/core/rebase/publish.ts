// Signed rebases: each new image is signed by digest before a tag names it. Kept apart from the
// registry and cosign (both injected) so the order, and what a failed signature leaves, is tested alone.
import { MlBuildpacksError } from "../errors.js";
import { rebaseMessages } from "./messages.js";

/** A rebased image pushed under its staging tag, and the tag it is meant for. */
export interface StagedImage {
  /** The tag to move to it, e.g. registry/team/app:1.0-amd64. */
  tag: string;
  digest: string;
  /** What the tag names until it moves. */
  previousDigest: string;
}

/**
 * Signs every staged image, then moves each tag to its image: no tag names an unsigned image, and
 * when a signature fails no tag has moved (the error names the tag and the digest it still names).
 */
export async function signThenTag(
  staged: readonly StagedImage[],
  o: { sign: (image: StagedImage) => Promise<void>; tag: (image: StagedImage) => Promise<void> },
): Promise<void> {
  for (const image of staged) await signOrExplain(() => o.sign(image), image.tag, image.previousDigest);
  for (const image of staged) await o.tag(image);
}

/** Runs a signature; its failure says which tag was left where. */
export async function signOrExplain(sign: () => Promise<void>, tag: string, previous: string): Promise<void> {
  try {
    await sign();
  } catch (err) {
    if (!(err instanceof MlBuildpacksError)) throw err;
    throw new MlBuildpacksError(rebaseMessages.signFailed(err, tag, previous));
  }
}
