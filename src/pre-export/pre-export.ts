// Pre-export, between the builder and the exporter, does two things:
// - records the build's inputs on the image the exporter makes (project-metadata.toml, see
//   inputs.ts projectMetadata), with the app record a later code-only change is checked against;
// - where the registry deletes manifests (req.stage): compresses the build's large new launch
//   layers once (igzip, or zlib on every core) and pushes them before the exporter runs; then points
//   analyzed.toml at a staging image holding them, so the exporter finds each layer's diffID there
//   and reuses the blob instead of compressing the layer twice at level 1 (go-containerregistry)
//   and uploading it. See request.ts for the files.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pipeline, Readable, Transform } from "node:stream";
import TOML from "@iarna/toml";
import type { ImageConfig } from "../core/fast-path/registry.js";
import { formatImageRef, parseImageRef } from "../core/image-ref.js";
import { parsePlatform } from "../core/manifest.js";
import type { PreExportRequest, PreExportResult } from "../core/pre-export/contract.js";
import { mib } from "../core/recompress.js";
import { type Manifest, RegistryClient, sha256 } from "../core/registry/client.js";
import { resolveRegistryAuth } from "../core/registry/credentials.js";
import {
  type PushedLayer,
  parseAnalyzed,
  previousImageRef,
  previousLayerSha,
  withStagingImage,
} from "./analyzed.js";
import { chooseCompressor } from "./compressor.js";
import { writeInputs } from "./inputs-file.js";
import { type LayerTarEntry, layerTarChunks, layerTarEntries } from "./layer-tar.js";
import { OCI_MANIFEST, stagingImage } from "./staging.js";

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** This module's log lines (the exporter's log shows them; the platform reads "Pre-exported layer"). */
export const preExportNotes = {
  pushed: (id: string, bytes: number, size: number, how: string, ms: number) =>
    `Pre-exported layer '${id}': ${mib(bytes)} -> ${mib(size)} (${how}) in ${secs(ms)}`,
  unchanged: (id: string) =>
    `Layer '${id}' is unchanged since the previous image: left to the exporter to reuse`,
  unsupported: (id: string, why: string) => `Layer '${id}' is left to the exporter: ${why}`,
  otherRepository: (ref: string) =>
    `Pre-export skipped: the previous image ${ref} is in another repository, whose layers the staging image cannot name`,
  staged: (n: number, ref: string) => `Staged ${n} pre-exported layer(s) for the exporter in ${ref}`,
};

interface Candidate {
  buildpack: string;
  version: string;
  layer: string;
  entries: LayerTarEntry[];
  bytes: number;
}

export async function preExport(req: PreExportRequest, say: (line: string) => void): Promise<void> {
  // First, and whatever staging does: the label costs no upload and spares the registry a manifest.
  const labeled = req.label ? writeInputs(req, req.label, say) : false;
  const result: PreExportResult = { layers: [], labeled };
  try {
    if (req.stage) Object.assign(result, await stage(req, say));
  } finally {
    writeFileSync(req.resultPath, JSON.stringify(result));
  }
}

/** Pushes the large new layers and the staging manifest naming them; analyzed.toml then names it. */
async function stage(
  req: PreExportRequest,
  say: (line: string) => void,
): Promise<Pick<PreExportResult, "layers" | "stagingDigest"> | undefined> {
  const analyzed = parseAnalyzed(readFileSync(req.analyzedPath, "utf8"));
  const target = parseImageRef(req.image);
  const platform = parsePlatform(req.platform);
  if (!platform) throw new Error(`unknown platform ${req.platform}`);
  // CNB_REGISTRY_AUTH, as the lifecycle beside it reads it; plain HTTP and the CA as the platform says.
  const client = new RegistryClient(target.registry, {
    auth: resolveRegistryAuth([target.registry]),
    insecureRegistries: req.insecureRegistries ?? [],
    caCerts: req.caCerts,
  });

  const previousRef = previousImageRef(analyzed);
  let previous: { manifest: Manifest; config: ImageConfig } | undefined;
  if (previousRef) {
    const ref = parseImageRef(previousRef);
    if (ref.registry !== target.registry || ref.repository !== target.repository) {
      say(preExportNotes.otherRepository(previousRef));
      return undefined;
    }
    const manifest = await client.getManifest(ref.repository, ref.digest ?? ref.tag ?? "latest");
    const config = manifest && (await client.getConfig<ImageConfig>(ref.repository, manifest));
    if (!manifest?.body.layers || !config) throw new Error(`cannot read the previous image ${previousRef}`);
    previous = { manifest, config };
  }

  const compressor = chooseCompressor(req.compression);
  const pushed: (PushedLayer & { digest: string; size: number; bytes: number })[] = [];
  for (const c of candidates(req, say)) {
    const id = `${c.buildpack}:${c.layer}`;
    const before = previousLayerSha(analyzed, c.buildpack, c.layer);
    // A restored layer the buildpack kept (e.g. the deb packages on a requirements change) has the
    // previous diffID: hashing it (no compression) is enough to leave it to the exporter's reuse.
    if (before && (await tarDiffId(c.entries)) === before) {
      say(preExportNotes.unchanged(id));
      continue;
    }
    const started = Date.now();
    // The tar is hashed (its diffID) as it is compressed: one pass over the files. A failed upload
    // tars and compresses the layer again (nothing in the layers dir changes before the exporter
    // runs), so the diffID is the hash of the attempt that was pushed.
    let hash = createHash("sha256");
    const open = () => {
      const attempt = createHash("sha256");
      hash = attempt;
      const tee = new Transform({
        transform(chunk: Buffer, _enc, done) {
          attempt.update(chunk);
          done(null, chunk);
        },
      });
      // pipeline, not pipe: an error (a file that vanished) reaches the upload and fails it.
      pipeline(Readable.from(layerTarChunks(c.entries)), tee, () => {});
      return compressor.compress(tee);
    };
    const blob = await client.uploadBlobStream(target.repository, open);
    const diffId = `sha256:${hash.digest("hex")}`;
    pushed.push({
      buildpack: c.buildpack,
      version: c.version,
      layer: c.layer,
      diffId,
      ...blob,
      bytes: c.bytes,
    });
    say(preExportNotes.pushed(id, c.bytes, blob.size, compressor.label, Date.now() - started));
  }
  if (pushed.length === 0) return undefined;

  const staging = stagingImage(
    platform,
    previous && { manifest: previous.manifest.body, config: previous.config },
    pushed,
    randomUUID(),
  );
  const configDigest = await client.uploadBlob(target.repository, staging.config);
  const raw = staging.manifest({ digest: configDigest, size: staging.config.length });
  const digest = await client.putManifest(target.repository, sha256(raw), raw, OCI_MANIFEST);
  // The exporter must be able to read it back, or it would find no layer to reuse and fail.
  if (!(await client.getManifest(target.repository, digest)))
    throw new Error(`the staging image ${digest} is not readable`);
  const stagingRef = formatImageRef({ ...target, tag: undefined, digest });

  const next = `${req.analyzedPath}.pre-export`;
  writeFileSync(next, withStagingImage(analyzed, stagingRef, pushed));
  renameSync(next, req.analyzedPath);
  say(preExportNotes.staged(pushed.length, stagingRef));
  return {
    layers: pushed.map((p) => ({
      id: `${p.buildpack}:${p.layer}`,
      diffId: p.diffId,
      digest: p.digest,
      size: p.size,
      bytes: p.bytes,
    })),
    stagingDigest: digest,
  };
}

/** The group's launch layers with contents, of at least req.minBytes, as the exporter will see them. */
function* candidates(req: PreExportRequest, say: (line: string) => void): Generator<Candidate> {
  const group =
    (TOML.parse(readFileSync(req.groupPath, "utf8")) as { group?: { id: string; version: string }[] })
      .group ?? [];
  for (const bp of group) {
    const dir = join(req.layersDir, bp.id.split("/").join("_"));
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith(".toml") || ["launch.toml", "build.toml", "store.toml"].includes(file)) continue;
      const layer = file.slice(0, -".toml".length);
      const layerDir = join(dir, layer);
      const meta = TOML.parse(readFileSync(join(dir, file), "utf8")) as { types?: { launch?: boolean } };
      if (!meta.types?.launch || !existsSync(layerDir) || !statSync(layerDir).isDirectory()) continue;
      const listed = layerTarEntries(layerDir, { uid: req.uid, gid: req.gid });
      if ("reason" in listed) {
        say(preExportNotes.unsupported(`${bp.id}:${layer}`, listed.reason));
        continue;
      }
      if (listed.bytes < req.minBytes) continue;
      yield { buildpack: bp.id, version: bp.version, layer, ...listed };
    }
  }
}

async function tarDiffId(entries: readonly LayerTarEntry[]): Promise<string> {
  const hash = createHash("sha256");
  for (const chunk of layerTarChunks(entries)) hash.update(chunk);
  return `sha256:${hash.digest("hex")}`;
}
