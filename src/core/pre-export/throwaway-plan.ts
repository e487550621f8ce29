// What a build may push beyond the image it makes, decided before any phase runs. Pre-export's
// staging manifest, the recompressed manifest and a relabelled one are meant to be deleted (or left
// untagged) once the build is done; on a registry that refuses DELETE (GHCR answers 405) each would
// stay as an untagged version forever, so the build only makes them where deletes work.

/** What RegistryClient.deleteSupport found. */
export interface DeleteSupport {
  supported: boolean;
  why: string;
}

export interface ThrowawayPlan {
  /** Pre-export pushes the large new layers and a staging manifest for the exporter. */
  stage: boolean;
  /** --compression small recompresses the exported image's new layers (a second manifest). */
  recompress: boolean;
  /** Why neither happens, for the log (once). */
  note?: string;
}

/** Pure: which throwaway manifests a build may push; `deletes` is undefined when it does not publish. */
export function throwawayPlan(
  deletes: DeleteSupport | undefined,
  compression: "fast" | "small",
): ThrowawayPlan {
  if (!deletes) return { stage: false, recompress: false };
  if (deletes.supported) return { stage: true, recompress: compression === "small" };
  const also =
    compression === "small" ? ", nor recompresses the new layers after it (--compression small)" : "";
  return {
    stage: false,
    recompress: false,
    note: `the registry does not delete manifests (${deletes.why}): so that it keeps no untagged leftovers, the build stages no layers for the exporter${also}; the exporter compresses every layer itself`,
  };
}

/** Pure: whether pre-export has anything to do (it costs a container start outside the chain). */
export function runsPreExport(o: { runner: boolean; stage: boolean; label: boolean }): boolean {
  return o.runner && (o.stage || o.label);
}

/**
 * Pure: how the build's inputs reach the image after the export. "exported": pre-export put them in
 * (or there are none); "relabel": a copy of the image with the label, only where the exporter's
 * manifest can be deleted; "lost": nowhere to put them without a leftover, the next build runs in full.
 */
export function inputsAfterExport(o: {
  inputs: boolean;
  labeled: boolean;
  deletes: boolean;
}): "exported" | "relabel" | "lost" {
  if (!o.inputs || o.labeled) return "exported";
  return o.deletes ? "relabel" : "lost";
}
