// Where an image keeps its SBOM layer: the lifecycle's metadata label names the layer's diffID
// (`sbom.sha`), the config's rootfs.diff_ids give its position, the manifest the blob at that position.
import type { ImageConfig } from "../fast-path/registry.js";
import type { Descriptor, Manifest } from "../registry/client.js";

export const LIFECYCLE_METADATA_LABEL = "io.buildpacks.lifecycle.metadata";

export type SbomLayerLookup = { layer: Descriptor; diffId: string } | { missing: string };

/** Pure: the SBOM layer's descriptor in `manifest`, or why there is none. */
export function sbomLayerOf(manifest: Manifest, config: ImageConfig): SbomLayerLookup {
  const raw = config.config?.Labels?.[LIFECYCLE_METADATA_LABEL];
  if (!raw) return { missing: `it has no ${LIFECYCLE_METADATA_LABEL} label (not built with buildpacks)` };
  let diffId: unknown;
  try {
    diffId = (JSON.parse(raw) as { sbom?: { sha?: unknown } }).sbom?.sha;
  } catch {
    return { missing: `its ${LIFECYCLE_METADATA_LABEL} label is not JSON` };
  }
  if (typeof diffId !== "string" || !diffId)
    return { missing: "it has no SBOM layer (none of its buildpacks wrote an SBOM)" };
  const index = (config.rootfs?.diff_ids ?? []).indexOf(diffId);
  const layer = index < 0 ? undefined : manifest.body.layers?.[index];
  if (!layer) return { missing: `its SBOM layer ${diffId} is not among the image's layers` };
  return { layer, diffId };
}

/** "linux-amd64" (with "-<variant>" where the config has one): the per-platform folder name. */
export function platformDir(config: ImageConfig): string {
  const os = typeof config.os === "string" ? config.os : "unknown";
  const arch = typeof config.architecture === "string" ? config.architecture : "unknown";
  return typeof config.variant === "string" && config.variant
    ? `${os}-${arch}-${config.variant}`
    : `${os}-${arch}`;
}

/**
 * The output path of a tar entry of the SBOM layer, relative to the platform folder, as
 * `pack sbom download` lays it out (layers/sbom/launch/<buildpack>/<layer>/sbom.<ext>); undefined for
 * entries outside layers/sbom/ or that would climb out of it.
 */
export function outputPath(entryName: string): string | undefined {
  const parts = entryName.replace(/^\/+/, "").replace(/\/+$/, "").split("/");
  if (parts.some((p) => p === ".." || p === "." || p === "")) return undefined;
  if (parts[0] !== "layers" || parts[1] !== "sbom") return undefined;
  return parts.join("/");
}
