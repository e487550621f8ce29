// The fast path's two ways to finish a build without running a phase: the previous image as is
// (re-tagged where needed), or the previous image with the new app layer swapped in.
import { buildAppLayer } from "../fast-path/app-layer.js";
import { type FastPathOutcome, pushAppLayerSwap, tagImage } from "../fast-path/index.js";
import { fastPathNotes } from "../fast-path/notes.js";
import { BUILD_METADATA_LABEL, buildpacksOf } from "../fast-path/registry.js";
import { formatImageRef } from "../image-ref.js";
import type { Logger } from "../log.js";
import type { Manifest } from "../registry/client.js";
import type { RegistryAccess } from "./registry-access.js";
import type { BuildTargets } from "./targets.js";

export interface NoPhaseImage {
  manifest: Manifest;
  buildpacks: { id: string; version: string }[];
  /** Only the app layer changed (the swap); false when the previous image stands as is. */
  appLayerOnly: boolean;
}

export async function buildWithoutPhases(
  fastPath: FastPathOutcome,
  names: BuildTargets,
  access: RegistryAccess,
  owner: { uid: number; gid: number },
  log: Logger,
): Promise<NoPhaseImage | undefined> {
  const { target, tags, previous } = names;
  if (fastPath.reuse) {
    const reused = fastPath.reuse;
    const retag = [...(previous ? [target] : []), ...tags];
    if (retag.length)
      await log.group(`Tagging the previous image as ${retag.map(formatImageRef).join(", ")}`, () =>
        tagImage(access.clientFor, previous ?? target, reused.manifest, retag),
      );
    return { manifest: reused.manifest, buildpacks: reused.buildpacks, appLayerOnly: false };
  }
  if (!(fastPath.swap && fastPath.tree && fastPath.inputs)) return undefined;
  const { previous: prior, record } = fastPath.swap;
  const { tree, inputs } = fastPath;
  const swapped = await log
    .group("Replacing the app layer of the previous image", async () => {
      const layer = buildAppLayer(tree, owner);
      if ("problem" in layer) throw new Error(layer.problem);
      log.info(`app layer: ${layer.files} file(s), ${layer.gzip.length} bytes compressed, ${layer.diffId}`);
      return pushAppLayerSwap(access.clientFor, previous ?? target, prior, layer, inputs, record, [
        target,
        ...tags,
      ]);
    })
    .catch((err: unknown) => {
      log.warn(fastPathNotes.appSwapFailed(err instanceof Error ? err.message : String(err)));
      return undefined;
    });
  if (!swapped) return undefined;
  const buildpacks = buildpacksOf(prior.config.config?.Labels?.[BUILD_METADATA_LABEL]);
  return { manifest: swapped, buildpacks, appLayerOnly: true };
}
