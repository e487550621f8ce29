// analyzed.toml as the exporter reads it (lifecycle platform/files.Analyzed): `[image] reference`
// names the previous image, whose layers the exporter may reuse, and `[metadata]` holds the layers it
// compares with (`buildpacks[].layers.<name>.sha`, the diffID). Pre-export points both at a staging
// image that also holds the layers it pushed, so the exporter reuses them instead of compressing
// and uploading them again.
import TOML from "@iarna/toml";

interface LayerMetadata {
  sha?: string;
  [key: string]: unknown;
}

interface BuildpackLayersMetadata {
  key: string;
  version?: string;
  layers?: Record<string, LayerMetadata>;
  [key: string]: unknown;
}

export interface Analyzed {
  image?: { reference?: string; [key: string]: unknown };
  metadata?: { buildpacks?: BuildpackLayersMetadata[]; [key: string]: unknown };
  [key: string]: unknown;
}

export function parseAnalyzed(text: string): Analyzed {
  return TOML.parse(text) as Analyzed;
}

/** The previous image's reference, if the analyzer found one. */
export function previousImageRef(analyzed: Analyzed): string | undefined {
  return analyzed.image?.reference || undefined;
}

/** The diffID the previous image has for a buildpack's layer, if any. */
export function previousLayerSha(analyzed: Analyzed, buildpack: string, layer: string): string | undefined {
  return analyzed.metadata?.buildpacks?.find((b) => b.key === buildpack)?.layers?.[layer]?.sha;
}

export interface PushedLayer {
  buildpack: string;
  version: string;
  layer: string;
  diffId: string;
}

/** Pure: analyzed.toml pointing at the staging image, with the pushed layers' diffIDs as the previous ones. */
export function withStagingImage(
  analyzed: Analyzed,
  stagingRef: string,
  pushed: readonly PushedLayer[],
): string {
  const buildpacks = (analyzed.metadata?.buildpacks ?? []).map((b) => ({ ...b, layers: { ...b.layers } }));
  for (const p of pushed) {
    let bp = buildpacks.find((b) => b.key === p.buildpack);
    if (!bp) {
      bp = { key: p.buildpack, version: p.version, layers: {} };
      buildpacks.push(bp);
    }
    bp.layers[p.layer] = { ...bp.layers[p.layer], sha: p.diffId };
  }
  const doc: Analyzed = {
    ...analyzed,
    image: { ...analyzed.image, reference: stagingRef },
    metadata: { ...analyzed.metadata, buildpacks },
  };
  return TOML.stringify(doc as TOML.JsonMap);
}
