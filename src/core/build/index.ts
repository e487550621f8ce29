// One build, in the order its log reads: resolve the builder -> the fast path -> the phases ->
// after the export -> the report. Each step lives in its own module of this folder.
import { existsSync, statSync } from "node:fs";
import type { BuilderInfo } from "../builder/inspect.js";
import { MlBuildpacksError } from "../errors.js";
import { decideFastPath, startPreviousRead } from "../fast-path/index.js";
import { formatImageRef, type ImageRef, withDigest } from "../image-ref.js";
import { emptyActivity } from "../lifecycle/output.js";
import { messages } from "../messages.js";
import { type Manifest, manifestSize, type RegistryClient } from "../registry/client.js";
import type { BuildReport } from "../report.js";
import type { BuildRequest } from "../request.js";
import { saveRequestedSbom } from "../sbom/index.js";
import { checkSecretsApart, maskablesOf } from "../secrets.js";
import { finishExportedImage } from "./after-export.js";
import { choosePlatformApi, pullRunImage, resolveBuilder } from "./builder.js";
import type { BuildDeps } from "./deps.js";
import { runLifecycle } from "./lifecycle-run.js";
import { RegistryAccess } from "./registry-access.js";
import { fastPathReport, reportBase } from "./report.js";
import { openBuildSigner } from "./sign.js";
import { buildTargets } from "./targets.js";
import { buildWithoutPhases } from "./without-phases.js";

export { resolveBuilder } from "./builder.js";
export type { BuildDeps } from "./deps.js";

/** Runs analyze, detect, restore, build and export (or the creator) for one image and returns the report. */
export async function build(
  req: BuildRequest,
  deps: BuildDeps,
  resolved?: BuilderInfo,
): Promise<BuildReport> {
  const { log, clock } = deps;
  const started = clock.now();
  checkSecretsApart(req.env, req.secrets);
  for (const value of Object.values(req.secrets))
    for (const mask of maskablesOf(value)) deps.registerSecret?.(mask);
  if (!existsSync(req.appDir) || !statSync(req.appDir).isDirectory())
    throw new MlBuildpacksError(messages.appDirNotFound(req.appDir));
  const names = buildTargets(req);
  const access = new RegistryAccess(names.registries, req, deps);
  const registry = access.clientFor(names.target.registry);
  // The previous image is read and the target registry pinged while the builder is resolved: an
  // up-to-date build is mostly waiting on the registry. Read before the export moves the tag: the
  // recompression keeps the blobs it already holds.
  const previousRead = req.publish ? startPreviousRead(req, access.clientFor) : undefined;
  // Whether the registry deletes manifests decides what else a build may push (pre-export/plan.ts);
  // asked now, it costs the build no wait. Never rejects.
  const deletesProbe = req.publish ? registry.deleteSupport(names.target.repository) : undefined;
  const builder = await reachRegistryAndBuilder(req, deps, registry, resolved);
  const platformApi = choosePlatformApi(req, builder);
  const base = reportBase(req, builder, platformApi, names);
  if (!req.publish) await pullRunImage(req, builder, deps);
  // The key is opened before anything is pushed: a wrong password leaves every tag as it was.
  const signer = await openBuildSigner(req, builder, access, deps);

  const fastPath = await log.group("Checking inputs against the previous image (fast path)", async () => {
    const outcome = await decideFastPath(req, builder, platformApi, access.clientFor, previousRead);
    log.info(outcome.reason);
    return outcome;
  });
  const owner = { uid: builder.uid, gid: builder.gid };
  const noPhase = await buildWithoutPhases(fastPath, names, access, owner, log);
  if (noPhase) {
    await saveRequestedSbom(req, registry, names.target.repository, noPhase.manifest.digest, log);
    await signer?.sign(names.target.repository, names.target.registry, noPhase.manifest.digest, true);
    return {
      ...base,
      ...noPhaseImage(noPhase.manifest, names.target),
      buildpacks: noPhase.buildpacks,
      layers: emptyActivity(),
      phases: [],
      totalMs: clock.now() - started,
      fastPath: {
        ...fastPathReport(fastPath, true),
        ...(noPhase.appLayerOnly ? { appLayerOnly: true } : {}),
      },
    };
  }

  const run = await runLifecycle({
    req,
    builder,
    platformApi,
    names,
    access,
    registry,
    fastPath,
    deletesProbe,
    deps,
  });
  const image = await finishExportedImage({
    req,
    names,
    access,
    registry,
    fastPath,
    run,
    previousRead,
    owner,
    deps,
  });
  if (req.publish && image.digest)
    await signer?.sign(names.target.repository, names.target.registry, image.digest, true);
  return {
    ...base,
    ...image,
    buildpacks: run.group,
    layers: run.layers,
    phases: run.phases,
    totalMs: clock.now() - started,
    fastPath: fastPathReport(fastPath, false),
  };
}

/** Fails before any phase when the target registry is down: nothing half-built, nothing pushed. */
async function reachRegistryAndBuilder(
  req: BuildRequest,
  deps: BuildDeps,
  registry: RegistryClient,
  resolved: BuilderInfo | undefined,
): Promise<BuilderInfo> {
  const [pinged, resolving] = await Promise.allSettled([
    req.publish ? registry.ping(req.image) : undefined,
    resolved ?? resolveBuilder(req, deps),
  ]);
  if (pinged.status === "rejected") throw pinged.reason;
  if (resolving.status === "rejected") throw resolving.reason;
  return resolving.value;
}

/** The image facts of a build that ran no phase: the previous image, or its app-layer swap. */
function noPhaseImage(manifest: Manifest, target: ImageRef) {
  return {
    digest: manifest.digest,
    imageId: manifest.body.config?.digest ?? "",
    imageRef: formatImageRef(withDigest(target, manifest.digest)),
    imageSizeBytes: manifestSize(manifest),
  };
}
