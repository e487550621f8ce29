// The code-change path: when only app files that no buildpack read have changed, the previous
// image's app layer is replaced and no phase runs. Every buildpack labels the image with the app
// files its build read (libcnb/app-reads.ts); the inputs label then records those files and a key
// over them and the tree's shape. Adds, removals and renames change the shape: detect may decide
// differently, so they always take a full build.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type AppReads, appReadsFromLabels } from "../../labels/app-reads.js";
import { appLayerTar, layerEntries, notUstar, type TarOwner } from "./app-tar.js";
import { digestOf } from "./inputs.js";
import { fileSha256, type SourceTree } from "./source-digest.js";

/** The label the lifecycle writes with the layers of an image (its `app` entry is the app layer). */
export const LIFECYCLE_METADATA_LABEL = "io.buildpacks.lifecycle.metadata";
/** Larger apps take the full build: the layer is built in memory. */
export const MAX_APP_LAYER_BYTES = 256 * 1024 * 1024;

/** What the inputs label keeps for the next build's code-change check. */
export interface AppLayerRecord {
  /** App files the buildpacks read, "/"-separated, sorted. */
  files: string[];
  /** Digest of the tree's shape (every path and kind) and of the content of `files`. */
  key: string;
  /**
   * The app layer's diffID made from the source tree before the build. The next build swaps only
   * when the image's app layer is this one: the exporter's layer was exactly the source tree (no
   * buildpack wrote into /workspace, no slices), checked without reading the exported image.
   */
  layer?: string;
}

/** What the platform knows of the app layer before any phase runs (pre-export makes the record). */
export interface AppLayerPlan {
  /** The diffID the exporter's app layer has when the workspace is still the source tree. */
  layer: string;
  /** shapeDigest of the source tree. */
  shape: string;
}

/** Pure: digest of the tree's shape (every path and kind, not the content). */
export function shapeDigest(tree: Pick<SourceTree, "entries">): string {
  return digestOf(tree.entries.map((e) => `${e.kind}:${e.path}`));
}

/** Pure: the key from the shape's digest and each read file's content digest (`read`). */
export function appKey(shape: string, files: readonly string[], read: (rel: string) => string): string {
  return digestOf({ shape, reads: [...files].sort().map((f) => `${f}:${read(f)}`) });
}

/** Pure-ish: the key over the tree's shape and the bytes of the files the buildpacks read. */
export function appLayerKey(tree: SourceTree, files: readonly string[]): string {
  return appKey(shapeDigest(tree), files, (f) => readContent(tree.root, f));
}

/**
 * The app layer's diffID and the tree's shape, before the build (no gzip: only the digest is
 * wanted), or why the tree can't become a layer like the exporter's.
 */
export function planAppLayer(tree: SourceTree, owner: TarOwner): AppLayerPlan | { problem: string } {
  const checked = checkedEntries(tree, owner);
  if ("problem" in checked) return checked;
  const tar = appLayerTar(checked.entries, owner, (rel) => readFileSync(join(tree.root, rel)));
  return { layer: `sha256:${createHash("sha256").update(tar).digest("hex")}`, shape: shapeDigest(tree) };
}

/**
 * After the builder, before the exporter (pre-export): the record for the next build, from the
 * buildpacks' labels (which app files they read) and the workspace (those files' content).
 */
export function recordFromBuild(
  labels: Record<string, string>,
  group: readonly { id: string }[],
  plan: AppLayerPlan,
  workspace: string,
): { record: AppLayerRecord } | { reason: string } {
  const reads = groupReads(labels, group);
  if ("reason" in reads) return reads;
  const key = appKey(plan.shape, reads.files, (f) => readContent(workspace, f));
  return { record: { files: reads.files, key, layer: plan.layer } };
}

/** A read file's content digest, through symlinks as the buildpack read it. */
export function readContent(root: string, rel: string): string {
  const path = join(root, rel);
  try {
    return statSync(path).isFile() ? fileSha256(path) : "not-a-file";
  } catch {
    return "absent";
  }
}

export interface BuiltAppLayer {
  diffId: string;
  gzip: Buffer;
  files: number;
}

/** The app layer of this tree, or why it can't be made like the exporter's. */
export function buildAppLayer(tree: SourceTree, owner: TarOwner): BuiltAppLayer | { problem: string } {
  const checked = checkedEntries(tree, owner);
  if ("problem" in checked) return checked;
  const tar = appLayerTar(checked.entries, owner, (rel) => readFileSync(join(tree.root, rel)));
  return {
    diffId: `sha256:${createHash("sha256").update(tar).digest("hex")}`,
    gzip: gzipSync(tar),
    files: tree.entries.filter((e) => e.kind === "file").length,
  };
}

function checkedEntries(
  tree: SourceTree,
  owner: TarOwner,
): { entries: ReturnType<typeof layerEntries> } | { problem: string } {
  const entries = layerEntries(tree);
  const total = entries.reduce((n, e) => n + e.size, 0);
  if (total > MAX_APP_LAYER_BYTES)
    return { problem: `the app is ${Math.round(total / 2 ** 20)} MiB, over the app-layer limit` };
  for (const e of entries) {
    const problem = notUstar(e, owner);
    if (problem) return { problem };
  }
  return { entries };
}

/** Pure: the single app layer's diffID from the lifecycle's metadata label. */
export function appLayerDiffId(labels: Record<string, string>): string | undefined {
  try {
    const doc = JSON.parse(labels[LIFECYCLE_METADATA_LABEL] ?? "{}") as { app?: { sha?: unknown }[] };
    const [only, ...more] = doc.app ?? [];
    return more.length === 0 && typeof only?.sha === "string" ? only.sha : undefined;
  } catch {
    return undefined;
  }
}

/** Pure: the app files every buildpack of the group read, or why the group can't say. */
export function groupReads(
  labels: Record<string, string>,
  group: readonly { id: string }[],
): { files: string[] } | { reason: string } {
  const declared = appReadsFromLabels(labels);
  const files = new Set<string>();
  if (group.length === 0) return { reason: "the image names no buildpacks" };
  for (const bp of group) {
    const reads: AppReads | undefined = declared.get(bp.id);
    if (!reads) return { reason: `${bp.id} does not say which app files it reads` };
    if (reads.wholeApp) return { reason: `${bp.id} depends on every app file (${reads.wholeApp})` };
    for (const f of reads.files) files.add(f);
  }
  return { files: [...files].sort() };
}

/**
 * After a full build: the record that lets the next code-only change swap the app layer, or why it
 * can't. The exporter's app layer must be exactly the tree (no buildpack wrote into /workspace).
 */
export function recordAppLayer(
  labels: Record<string, string>,
  group: readonly { id: string }[],
  tree: SourceTree,
  owner: TarOwner,
): { record: AppLayerRecord } | { reason: string } {
  const reads = groupReads(labels, group);
  if ("reason" in reads) return reads;
  const exported = appLayerDiffId(labels);
  if (!exported) return { reason: "the image has no single app layer (slices?)" };
  const layer = buildAppLayer(tree, owner);
  if ("problem" in layer) return { reason: layer.problem };
  if (layer.diffId !== exported)
    return { reason: "the exported app layer differs from the source (a buildpack wrote into /workspace?)" };
  return { record: { files: reads.files, key: appLayerKey(tree, reads.files) } };
}

/** Pure: reads the record back from a parsed inputs label; undefined when absent or malformed. */
export function parseAppLayerRecord(value: unknown): AppLayerRecord | undefined {
  if (!value || typeof value !== "object") return undefined;
  const { files, key, layer } = value as Partial<AppLayerRecord>;
  if (typeof key !== "string" || !Array.isArray(files) || !files.every((f) => typeof f === "string"))
    return undefined;
  return { files, key, ...(typeof layer === "string" ? { layer } : {}) };
}

interface SwapConfig {
  rootfs?: { diff_ids?: string[] };
  config?: { Labels?: Record<string, string> };
  [key: string]: unknown;
}

interface SwapManifest {
  layers?: { mediaType?: string; digest: string; size: number }[];
  [key: string]: unknown;
}

/**
 * Pure: the config and manifest with the app layer replaced (its diffID in rootfs and in the
 * lifecycle's metadata label, its blob in the manifest) and the labels given set.
 */
export function swapAppLayer<C extends SwapConfig, M extends SwapManifest>(
  config: C,
  manifest: M,
  layer: { diffId: string; digest: string; size: number },
  labels: Record<string, string>,
): { config: C; manifest: M } | { problem: string } {
  const current = config.config?.Labels ?? {};
  const old = appLayerDiffId(current);
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layers = manifest.layers ?? [];
  if (!old) return { problem: "the previous image has no single app layer" };
  const index = diffIds.indexOf(old);
  if (index < 0 || diffIds.lastIndexOf(old) !== index || layers.length !== diffIds.length)
    return { problem: "the previous image's app layer can't be told apart from its other layers" };
  const metadata = (current[LIFECYCLE_METADATA_LABEL] as string).split(old).join(layer.diffId);
  return {
    config: {
      ...config,
      rootfs: { ...config.rootfs, diff_ids: diffIds.map((d, i) => (i === index ? layer.diffId : d)) },
      config: {
        ...config.config,
        Labels: { ...current, [LIFECYCLE_METADATA_LABEL]: metadata, ...labels },
      },
    },
    manifest: {
      ...manifest,
      layers: layers.map((l, i) => (i === index ? { ...l, digest: layer.digest, size: layer.size } : l)),
    },
  };
}
