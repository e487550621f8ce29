import type { LayerActivity } from "./lifecycle/output.js";
import { formatBytes, formatDuration } from "./log.js";

/** The JSON report of one build (--report, action `metadata` output). */
export interface BuildReport {
  image: string;
  /** Registry digest of the manifest ("" when exported to the Docker daemon). */
  digest: string;
  /** Digest of the image config (what `docker images` shows as IMAGE ID). */
  imageId: string;
  /** image@digest, the immutable reference to deploy (image:tag when exported to the daemon). */
  imageRef: string;
  tags: string[];
  /** Pushed to a registry (true) or written to the local Docker daemon. */
  published: boolean;
  platform: string;
  builder: { ref: string; digest: string | undefined; lifecycleVersion: string; platformApi: string };
  buildpacks: { id: string; version: string }[];
  layers: LayerActivity;
  phases: { phase: string; ms: number }[];
  totalMs: number;
  imageSizeBytes: number | undefined;
  cache: { dir: string | undefined; cleared: boolean };
  /** Whether the previous image was reused because the inputs were unchanged, and why (not). */
  /** `used` with `appLayerOnly`: the previous image with a new app layer (a code-only change). */
  fastPath: { used: boolean; inputDigest: string | undefined; reason: string; appLayerOnly?: boolean };
}

/** Pure: a short human summary of a build, printed at the end of the log. */
export function renderSummary(r: BuildReport): string {
  const rows = [
    ["image", r.imageRef],
    ["platform", r.platform],
    [
      "builder",
      `${r.builder.ref} (lifecycle ${r.builder.lifecycleVersion}, platform API ${r.builder.platformApi})`,
    ],
    ["buildpacks", r.buildpacks.map((b) => `${b.id}@${b.version}`).join(", ")],
    [
      "layers",
      `${r.layers.reused.length} reused, ${r.layers.added.length} added${r.layers.added.length ? ` (${r.layers.added.join(", ")})` : ""}`,
    ],
    ["cache layers", `${r.layers.cacheReused.length} reused, ${r.layers.cacheAdded.length} added`],
    ["image size", r.imageSizeBytes !== undefined ? formatBytes(r.imageSizeBytes) : "unknown"],
    [
      "phases",
      r.fastPath.used
        ? r.fastPath.appLayerOnly
          ? "none (fast path: only the app layer replaced)"
          : "none (fast path: inputs unchanged)"
        : r.phases.map((p) => `${p.phase} ${formatDuration(p.ms)}`).join(", "),
    ],
    ["total", formatDuration(r.totalMs)],
  ];
  const width = Math.max(...rows.map(([k]) => (k ?? "").length));
  return rows.map(([k, v]) => `  ${(k ?? "").padEnd(width)}  ${v}`).join("\n");
}
