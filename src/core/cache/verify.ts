// Checks the lifecycle's cache dir before a build and drops what is damaged (a truncated Actions
// cache archive, a disk that filled up, a bit flip). The lifecycle alone would warn "Skipping
// restore" for a layer whose tar does not hash to its name but still restore the layer's metadata,
// so a buildpack that trusts its metadata would reuse an empty layer. Dropping the tar AND its
// metadata entry makes the buildpack rebuild that layer; the rest of the cache is kept.
import { createHash } from "node:crypto";
import {
  createReadStream,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/** The lifecycle's cache metadata file in committed/ (cache.MetadataLabel). */
export const CACHE_METADATA = "io.buildpacks.lifecycle.cache.metadata";

interface CachedLayer {
  sha?: string;
  cache?: boolean;
  [key: string]: unknown;
}
interface CacheMetadata {
  sbom?: { sha?: string };
  buildpacks?: { key?: string; layers?: Record<string, CachedLayer>; [key: string]: unknown }[];
  [key: string]: unknown;
}

/** What the check found, as the log reports it. */
export type CacheProblem =
  | { kind: "restored-backup" }
  | { kind: "unreadable-metadata"; why: string }
  | { kind: "damaged-layer"; layer: string; expected: string; found: string }
  | { kind: "missing-layer"; layer: string; expected: string };

/**
 * Pure: the metadata without the layers (and SBOM) whose tar is not sound, and which were dropped.
 * `sound` holds the digests of the tars that hash to their names.
 */
export function pruneMetadata(
  metadata: CacheMetadata,
  sound: ReadonlySet<string>,
): { metadata: CacheMetadata; dropped: { layer: string; sha: string }[] } {
  const dropped: { layer: string; sha: string }[] = [];
  const buildpacks = (metadata.buildpacks ?? []).map((bp) => {
    const layers: Record<string, CachedLayer> = {};
    for (const [name, layer] of Object.entries(bp.layers ?? {})) {
      if (layer.sha && !sound.has(layer.sha)) dropped.push({ layer: `${bp.key}:${name}`, sha: layer.sha });
      else layers[name] = layer;
    }
    return { ...bp, layers };
  });
  const sbomSha = metadata.sbom?.sha;
  const sbom = sbomSha && !sound.has(sbomSha) ? { ...metadata.sbom, sha: "" } : metadata.sbom;
  if (sbomSha && !sound.has(sbomSha)) dropped.push({ layer: "SBOM", sha: sbomSha });
  return { metadata: { ...metadata, ...(sbom ? { sbom } : {}), buildpacks }, dropped };
}

/** Pure: one warning line per problem, saying what happens next. */
export function describeCacheProblem(dir: string, p: CacheProblem): string {
  switch (p.kind) {
    case "restored-backup":
      return `the layer cache in ${dir} was left mid-commit by an interrupted build: its previous contents (committed-backup/) are used`;
    case "unreadable-metadata":
      return `the layer cache in ${dir} has unreadable metadata (${p.why}): it is emptied and every cached layer is rebuilt`;
    case "damaged-layer":
      return `the cached layer ${p.layer} in ${dir} is damaged (truncated or corrupted: its contents hash to ${p.found}, not ${p.expected}): it is dropped and rebuilt`;
    case "missing-layer":
      return `the cached layer ${p.layer} in ${dir} is missing its data (${p.expected}.tar): it is dropped and rebuilt`;
  }
}

/**
 * The stamp: the layer tars of committed/ as the last build on this machine left them (written by the
 * lifecycle, their names are their digests). A tar with the same inode, size and mtime at the next
 * build is not hashed again; a cache restored from a CI backend (new files) or changed since is. It
 * lives beside the dir, like the lock, so a cache archive never carries it.
 */
export function stampPathOf(dir: string): string {
  return `${dir.replace(/\/+$/, "")}.sound.json`;
}

function fileIdentity(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

function readStamp(dir: string): Map<string, string> {
  try {
    const parsed = JSON.parse(readFileSync(stampPathOf(dir), "utf8")) as unknown;
    if (typeof parsed !== "object" || parsed === null) return new Map();
    return new Map(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return new Map();
  }
}

/** After a build: stamps committed/'s tars as sound (best effort: no stamp only means hashing next time). */
export function stampCacheDir(dir: string): void {
  const committed = join(dir, "committed");
  try {
    const stamp: Record<string, string> = {};
    for (const entry of readdirSync(committed)) {
      const id = entry.endsWith(".tar") ? fileIdentity(join(committed, entry)) : undefined;
      if (id) stamp[entry] = id;
    }
    writeFileSync(stampPathOf(dir), JSON.stringify(stamp));
  } catch {
    rmSync(stampPathOf(dir), { force: true });
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest("hex")}`;
}

/**
 * Repairs `dir` (the lifecycle cache dir: committed/, staging/, committed-backup/) in place and
 * returns what it found. Every tar in committed/ is hashed (the lifecycle hashes them again on
 * restore); a damaged one is deleted with its metadata entry.
 */
export async function repairCacheDir(dir: string): Promise<CacheProblem[]> {
  const problems: CacheProblem[] = [];
  const committed = join(dir, "committed");
  const backup = join(dir, "committed-backup");
  // The lifecycle's commit renames committed/ to committed-backup/, then staging/ to committed/:
  // killed in between, the next lifecycle would delete the backup and start empty.
  if (!existsSync(committed) && existsSync(backup)) {
    renameSync(backup, committed);
    problems.push({ kind: "restored-backup" });
  }
  if (!existsSync(committed)) return problems;
  const metaPath = join(committed, CACHE_METADATA);
  let metadata: CacheMetadata = {};
  if (existsSync(metaPath)) {
    try {
      const parsed = JSON.parse(readFileSync(metaPath, "utf8")) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new Error("not a JSON object");
      metadata = parsed as CacheMetadata;
    } catch (err) {
      problems.push({ kind: "unreadable-metadata", why: err instanceof Error ? err.message : String(err) });
      for (const entry of readdirSync(committed))
        rmSync(join(committed, entry), { recursive: true, force: true });
      return problems;
    }
  }
  const sound = new Set<string>();
  const found = new Map<string, string>();
  const stamped = readStamp(dir);
  for (const entry of readdirSync(committed)) {
    if (!entry.endsWith(".tar")) continue;
    const expected = entry.slice(0, -".tar".length);
    const path = join(committed, entry);
    if (stamped.get(entry) === fileIdentity(path)) {
      sound.add(expected);
      continue;
    }
    const actual = await sha256File(path).catch((err: unknown) => `unreadable (${String(err)})`);
    if (actual === expected) sound.add(expected);
    else {
      found.set(expected, actual);
      rmSync(path, { force: true });
    }
  }
  const pruned = pruneMetadata(metadata, sound);
  for (const { layer, sha } of pruned.dropped) {
    const actual = found.get(sha);
    problems.push(
      actual
        ? { kind: "damaged-layer", layer, expected: sha, found: actual }
        : { kind: "missing-layer", layer, expected: sha },
    );
  }
  if (pruned.dropped.length > 0) writeFileSync(metaPath, JSON.stringify(pruned.metadata));
  return problems;
}
