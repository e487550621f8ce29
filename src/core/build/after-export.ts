// After the exporter: --compression small's recompression, the inputs label where pre-export could
// not put it in, and the facts of the image that the tags now name.

import { recordAppLayer } from "../fast-path/app-layer.js";
import { type FastPathOutcome, stampInputs, tagImage } from "../fast-path/index.js";
import { fastPathNotes } from "../fast-path/notes.js";
import {
  BUILD_METADATA_LABEL,
  buildpacksOf,
  type ImageConfig,
  type PreviousRead,
} from "../fast-path/registry.js";
import { formatImageRef, type ImageRef, withDigest } from "../image-ref.js";
import type { Logger } from "../log.js";
import type { PreExportResult } from "../pre-export/contract.js";
import { inputsAfterExport } from "../pre-export/throwaway-plan.js";
import { layersToRecompress, RECOMPRESS_LEVEL, recompressLayers, recompressNotes } from "../recompress.js";
import { type Manifest, manifestSize, type RegistryClient } from "../registry/client.js";
import type { BuildRequest } from "../request.js";
import { saveRequestedSbom } from "../sbom/index.js";
import type { BuildDeps } from "./deps.js";
import type { LifecycleRun } from "./lifecycle-run.js";
import type { RegistryAccess } from "./registry-access.js";
import type { BuildTargets } from "./targets.js";

export interface FinalImage {
  digest: string;
  imageId: string;
  imageRef: string;
  imageSizeBytes: number | undefined;
}

export interface AfterExportInputs {
  req: BuildRequest;
  names: BuildTargets;
  access: RegistryAccess;
  registry: RegistryClient;
  fastPath: FastPathOutcome;
  run: LifecycleRun;
  previousRead: Promise<PreviousRead> | undefined;
  owner: { uid: number; gid: number };
  deps: Pick<BuildDeps, "docker" | "log">;
}

export async function finishExportedImage(a: AfterExportInputs): Promise<FinalImage> {
  const { req, names, run, registry } = a;
  const { target } = names;
  // Pre-export put the inputs in the exporter's image, or a copy gets them (see plan.ts).
  const inputsStep = inputsAfterExport({
    inputs: !!a.fastPath.inputs,
    labeled: run.preExported?.labeled === true,
    deletes: run.deletes?.supported === true,
  });
  let digest = run.exported.digest;
  if (req.publish && digest && run.plan.recompress) {
    const recompressed = await recompress(a, digest);
    if (recompressed) {
      digest = recompressed.digest;
      // Without the inputs label below, nothing else moves the tags to it.
      if (inputsStep !== "relabel")
        await tagImage(a.access.clientFor, withDigest(target, digest), recompressed, [target, ...names.tags]);
    }
  }
  if (inputsStep === "lost") a.deps.log.warn(fastPathNotes.inputsLost);
  if (req.publish && digest && inputsStep === "relabel") digest = await relabel(a, digest);
  if (req.publish && digest) {
    await saveRequestedSbom(req, registry, target.repository, digest, a.deps.log);
    const manifest = await registry.getManifest(target.repository, digest).catch(() => undefined);
    return {
      digest,
      imageId: manifest?.body.config?.digest ?? run.exported.imageId ?? "",
      imageRef: formatImageRef(withDigest(target, digest)),
      imageSizeBytes: manifestSize(manifest),
    };
  }
  const imageRef = formatImageRef(target);
  return {
    digest: digest ?? "",
    imageId: run.exported.imageId ?? "",
    imageRef,
    imageSizeBytes: (await a.deps.docker.inspectImage(imageRef))?.Size,
  };
}

function recompress(a: AfterExportInputs, exportedDigest: string): Promise<Manifest | undefined> {
  const { log } = a.deps;
  return log
    .group("Recompressing the new layers (--compression small)", () =>
      recompressExported(a.registry, a.names.target, exportedDigest, a.previousRead, log, a.run.preExported),
    )
    .catch((err: unknown) => {
      log.warn(recompressNotes.failed(err instanceof Error ? err.message : String(err)));
      return undefined;
    });
}

/** A copy of the image with the inputs label, where pre-export could not give it to the exporter. */
function relabel(a: AfterExportInputs, exportedDigest: string): Promise<string> {
  const { log } = a.deps;
  const { inputs, tree } = a.fastPath;
  if (!inputs) return Promise.resolve(exportedDigest);
  const appRecord = (labels: Record<string, string>) => {
    if (!tree) return undefined;
    const group = buildpacksOf(labels[BUILD_METADATA_LABEL]);
    const outcome = recordAppLayer(labels, group, tree, a.owner);
    log.info(
      "record" in outcome
        ? fastPathNotes.appSwapReady(outcome.record.files)
        : fastPathNotes.appSwapNotReady(outcome.reason),
    );
    return "record" in outcome ? outcome.record : undefined;
  };
  return log.group("Recording the build's inputs on the image", () =>
    stampInputs(a.access.clientFor, a.names.target, exportedDigest, inputs, a.names.tags, appRecord).catch(
      (err: unknown) => {
        log.warn(fastPathNotes.stampFailed(err instanceof Error ? err.message : String(err)));
        return exportedDigest;
      },
    ),
  );
}

/** Recompresses the exported image's new buildpack layers; the manifest it pushes is untagged. */
async function recompressExported(
  registry: RegistryClient,
  target: ImageRef,
  exportedDigest: string,
  previousRead: Promise<PreviousRead> | undefined,
  log: Logger,
  preExported: PreExportResult | undefined,
): Promise<Manifest> {
  const manifest = await registry.getManifest(target.repository, exportedDigest);
  const config = manifest && (await registry.getConfig<ImageConfig>(target.repository, manifest));
  if (!manifest || !config) throw new Error(`${formatImageRef(target)}@${exportedDigest} is not readable`);
  const previous = await previousRead;
  const kept = [
    ...(previous && "manifest" in previous ? (previous.manifest.body.layers ?? []) : []).map((l) => l.digest),
    // Pre-export already compressed these at the recompression level.
    ...(preExported?.layers ?? []).map((l) => l.digest),
  ];
  const indexes = layersToRecompress(manifest.body, config, new Set(kept));
  if (indexes.length === 0) {
    log.info(recompressNotes.nothing);
    return manifest;
  }
  const done = await recompressLayers(registry, target.repository, manifest, config, indexes);
  log.info(recompressNotes.done(done.layers, done.bytesBefore, done.bytesAfter, RECOMPRESS_LEVEL));
  return done.manifest;
}
