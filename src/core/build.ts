import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { preExportCompression } from "../pre-export/compressor.js";
import { inputsAfterExport, runsPreExport, throwawayPlan } from "../pre-export/plan.js";
import { PRE_EXPORT_RESULT, type PreExportRequest, type PreExportResult } from "../pre-export/request.js";
import { type BuilderInfo, builderInfo } from "./builder/inspect.js";
import { inspectRemoteImage } from "./builder/remote.js";
import type { Docker } from "./docker.js";
import { MlBuildpacksError } from "./errors.js";
import type { Executor } from "./executor/types.js";
import { buildAppLayer, planAppLayer, recordAppLayer } from "./fast-path/app-layer.js";
import {
  decideFastPath,
  type FastPathOutcome,
  pushAppLayerSwap,
  stampInputs,
  startPreviousRead,
  tagImage,
} from "./fast-path/index.js";
import { fastPathNotes } from "./fast-path/notes.js";
import {
  BUILD_METADATA_LABEL,
  buildpacksOf,
  type ImageConfig,
  type PreviousRead,
} from "./fast-path/registry.js";
import { formatImageRef, type ImageRef, parseImageRef, withDigest } from "./image-ref.js";
import { explainExit } from "./lifecycle/exit-codes.js";
import {
  detectFailureLines,
  detectFailureReasons,
  emptyActivity,
  groupFromCreatorOutput,
  type LayerActivity,
  recordExporterLine,
} from "./lifecycle/output.js";
import { CONTAINER_PATHS, type Phase, type PhaseSpec, planPhases } from "./lifecycle/phases.js";
import { negotiatePlatformApi, SUPPORTED_PLATFORM_APIS } from "./lifecycle/versions.js";
import type { Clock, Logger } from "./log.js";
import { messages } from "./messages.js";
import { hostPlatform, pinForPlatform } from "./platform.js";
import {
  layersToRecompress,
  MIN_RECOMPRESS_BYTES,
  RECOMPRESS_LEVEL,
  recompressLayers,
  recompressNotes,
} from "./recompress.js";
import { type Manifest, manifestSize, RegistryClient } from "./registry/client.js";
import { resolveRegistryAuth, secretsOf } from "./registry/credentials.js";
import type { BuildReport } from "./report.js";
import type { BuildRequest } from "./request.js";
import { parseTomlFile } from "./toml.js";

export interface BuildDeps {
  docker: Docker;
  log: Logger;
  clock: Clock;
  /** Makes the executor once the builder is known (docker here; local inside the builder for GitLab/Tekton). */
  makeExecutor: (builder: BuilderInfo, platformApi: string, secretEnv: Record<string, string>) => Executor;
  /** Lets adapters mask secrets in their logs (e.g. core.setSecret). */
  registerSecret?: (secret: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Pulls (if needed) and reads the builder; adapters call it first when cache keys need its digest. */
export async function resolveBuilder(
  req: Pick<BuildRequest, "builder" | "pull" | "platform"> &
    Partial<Pick<BuildRequest, "caCerts" | "insecureRegistries">>,
  deps: Pick<BuildDeps, "docker" | "log" | "env">,
): Promise<BuilderInfo> {
  const { docker, log } = deps;
  const platform = req.platform ?? hostPlatform();
  const builder = await log.group(`Resolving builder ${req.builder} for ${platform}`, async () => {
    const registry = parseImageRef(req.builder).registry;
    const client = new RegistryClient(registry, {
      auth: resolveRegistryAuth([registry], deps.env, undefined, { warn: (m) => log.warn(m) }),
      caCerts: req.caCerts,
      insecureRegistries: req.insecureRegistries,
      env: deps.env,
    });
    const pinned = await pinForPlatform(req.builder, platform, () => client);
    if (pinned !== req.builder) log.info(`multi-arch builder: using its ${platform} image ${pinned}`);
    // Read from the registry when it has the image: the daemon pulls it only if phases run.
    const remote = await inspectRemoteImage(client, parseImageRef(pinned)).catch(() => undefined);
    if (remote) return { ...builderInfo(remote.RepoDigests?.[0] ?? pinned, remote), inDaemon: false };
    await docker.ping();
    const image = await docker.ensureImage(pinned, {
      pull: pinned.includes("@") ? "missing" : req.pull,
      platform,
    });
    return builderInfo(pinned, image);
  });
  log.info(
    `builder ${builder.digest ?? builder.imageId} for ${builder.platform}, lifecycle ${builder.lifecycleVersion}, CNB user ${builder.uid}:${builder.gid}`,
  );
  if (builder.platform !== platform)
    throw new MlBuildpacksError(messages.unsupportedPlatform(platform, req.builder, builder.platform));
  return builder;
}

/** Pulls a builder that was read from the registry, once phases are going to run in it. */
async function pullBuilder(builder: BuilderInfo, deps: Pick<BuildDeps, "docker" | "log">): Promise<void> {
  if (builder.inDaemon) return;
  await deps.log.group(`Pulling builder ${builder.ref}`, async () => {
    await deps.docker.ping();
    await deps.docker.ensureImage(builder.ref, { pull: "missing", platform: builder.platform });
  });
}

/** Runs analyze, detect, restore, build and export (or the creator) for one image and returns the report. */
export async function build(
  req: BuildRequest,
  deps: BuildDeps,
  resolved?: BuilderInfo,
): Promise<BuildReport> {
  const { docker, log, clock } = deps;
  const started = clock.now();
  if (!existsSync(req.appDir) || !statSync(req.appDir).isDirectory())
    throw new MlBuildpacksError(messages.appDirNotFound(req.appDir));
  const target = parseImageRef(req.image);
  const tags = req.additionalTags.map((t) => formatImageRef(parseImageRef(t)));
  const previous = req.previousImage ? parseImageRef(req.previousImage) : undefined;
  if (previous && previous.registry !== target.registry)
    throw new MlBuildpacksError(messages.previousImageElsewhere(req.previousImage as string, req.image));

  // Every registry the build reads or writes: target, tags, previous image, run-image override
  // (the builder's run images are added once the builder is known, below).
  const registries = [
    ...new Set(
      [req.image, ...tags, req.previousImage, req.runImage]
        .filter((r): r is string => !!r)
        .map((r) => parseImageRef(r).registry),
    ),
  ];
  const credentialDeps = { warn: (m: string) => log.warn(m) };
  let auth = resolveRegistryAuth(registries, deps.env, undefined, credentialDeps);
  for (const secret of secretsOf(auth)) deps.registerSecret?.(secret);
  const clientFor = (name: string) =>
    new RegistryClient(name, {
      auth,
      caCerts: req.caCerts,
      insecureRegistries: req.insecureRegistries,
      env: deps.env,
    });
  const registry = clientFor(target.registry);
  // The previous image is read and the target registry pinged while the builder is resolved: an
  // up-to-date build is mostly waiting on the registry. Read before the export moves the tag: the
  // recompression keeps the blobs it already holds.
  const previousRead = req.publish ? startPreviousRead(req, clientFor) : undefined;
  // Whether the registry deletes manifests decides what else a build may push (pre-export/plan.ts);
  // asked now, it costs the build no wait. Never rejects.
  const deletesProbe = req.publish ? registry.deleteSupport(target.repository) : undefined;
  // Fail before any phase when the target registry is down: nothing half-built, nothing pushed.
  const [pinged, resolving] = await Promise.allSettled([
    req.publish ? registry.ping(req.image) : undefined,
    resolved ?? resolveBuilder(req, deps),
  ]);
  if (pinged.status === "rejected") throw pinged.reason;
  if (resolving.status === "rejected") throw resolving.reason;
  const builder = resolving.value;
  const platformApi = negotiatePlatformApi(builder.platformApis);
  if (!platformApi)
    throw new MlBuildpacksError(
      messages.noCommonPlatformApi(req.builder, builder.platformApis, [...SUPPORTED_PLATFORM_APIS]),
    );
  // The lifecycle takes -insecure-registry from Platform API 0.13 on.
  if (req.insecureRegistries.length && platformApi === "0.12")
    throw new MlBuildpacksError(messages.insecureNeedsPlatformApi(req.builder, platformApi));

  if (!req.publish) {
    // The exporter writes to the daemon and reads the run image from it.
    const runImage = req.runImage ?? builder.runImages[0];
    if (runImage)
      await log.group(`Pulling run image ${runImage}`, () =>
        docker.ensureImage(runImage, { pull: req.pull, platform: builder.platform }),
      );
  }

  const fastPath = await log.group("Checking inputs against the previous image (fast path)", async () => {
    const outcome = await decideFastPath(req, builder, platformApi, clientFor, previousRead);
    log.info(outcome.reason);
    return outcome;
  });
  // The report of a build that ran no phase: the previous image as is, or with a new app layer.
  const noPhaseReport = (
    manifest: Manifest,
    buildpacks: { id: string; version: string }[],
    appLayerOnly: boolean,
  ): BuildReport => ({
    ...reportBase(req, builder, platformApi, target, tags),
    digest: manifest.digest,
    imageId: manifest.body.config?.digest ?? "",
    imageRef: formatImageRef(withDigest(target, manifest.digest)),
    buildpacks,
    layers: emptyActivity(),
    phases: [],
    totalMs: clock.now() - started,
    imageSizeBytes: manifestSize(manifest),
    fastPath: { ...fastPathReport(fastPath, true), ...(appLayerOnly ? { appLayerOnly } : {}) },
  });
  if (fastPath.reuse) {
    const reused = fastPath.reuse;
    const source = previous ?? target;
    const retag = [...(previous ? [target] : []), ...tags.map(parseImageRef)];
    if (retag.length)
      await log.group(`Tagging the previous image as ${retag.map(formatImageRef).join(", ")}`, () =>
        tagImage(clientFor, source, reused.manifest, retag),
      );
    return noPhaseReport(reused.manifest, reused.buildpacks, false);
  }

  const owner = { uid: builder.uid, gid: builder.gid };
  if (fastPath.swap && fastPath.tree && fastPath.inputs) {
    const { previous: prior, record } = fastPath.swap;
    const { tree, inputs } = fastPath;
    const swapped = await log
      .group("Replacing the app layer of the previous image", async () => {
        const layer = buildAppLayer(tree, owner);
        if ("problem" in layer) throw new Error(layer.problem);
        log.info(`app layer: ${layer.files} file(s), ${layer.gzip.length} bytes compressed, ${layer.diffId}`);
        const as = [target, ...tags.map(parseImageRef)] as const;
        return pushAppLayerSwap(clientFor, previous ?? target, prior, layer, inputs, record, as);
      })
      .catch((err: unknown) => {
        log.warn(fastPathNotes.appSwapFailed(err instanceof Error ? err.message : String(err)));
        return undefined;
      });
    if (swapped) {
      return noPhaseReport(swapped, buildpacksOf(prior.config.config?.Labels?.[BUILD_METADATA_LABEL]), true);
    }
  }

  await pullBuilder(builder, deps);
  if (req.clearCache && req.cacheDir) clearDir(req.cacheDir, log);
  // The lifecycle reads the builder's run image (or a mirror of it) too: its registry's credentials.
  const runRegistries = builder.runImages
    .map((r) => parseImageRef(r).registry)
    .filter((r, i, all) => !registries.includes(r) && all.indexOf(r) === i);
  if (runRegistries.length) {
    const more = resolveRegistryAuth(runRegistries, deps.env, undefined, credentialDeps);
    for (const secret of secretsOf(more)) deps.registerSecret?.(secret);
    auth = { ...more, ...auth };
  }
  const secretEnv: Record<string, string> = Object.keys(auth).length
    ? { CNB_REGISTRY_AUTH: JSON.stringify(auth) }
    : {};
  const executor = deps.makeExecutor(builder, platformApi, secretEnv);
  const phaseInputs = {
    platformApi,
    image: formatImageRef(target),
    additionalTags: tags,
    runImage: req.runImage,
    previousImage: previous && formatImageRef(previous),
    useCache: req.cacheDir !== undefined,
    logLevel: req.logLevel === "debug" ? ("debug" as const) : ("info" as const),
    defaultProcess: req.defaultProcess,
    insecureRegistries: req.insecureRegistries,
    daemon: !req.publish,
  };
  const paths = executor.paths ?? CONTAINER_PATHS;
  const deletes = await deletesProbe;
  const plan = throwawayPlan(deletes, req.compression);
  if (plan.note) log.info(plan.note);
  // The app layer's diffID from the source, for pre-export's app record (no runner: relabel or none).
  const appPlan =
    fastPath.inputs && fastPath.tree && executor.preExport ? planAppLayer(fastPath.tree, owner) : undefined;
  if (appPlan && "problem" in appPlan) log.info(fastPathNotes.appSwapNotReady(appPlan.problem));
  const preExport: PreExportRequest = {
    image: formatImageRef(target),
    // Pre-export talks to the target registry as the lifecycle does: same plain-HTTP list, same CA.
    insecureRegistries: req.insecureRegistries,
    caCerts: executor.preExport?.caCerts,
    platform: builder.platform,
    compression: preExportCompression(req.compression),
    minBytes: MIN_RECOMPRESS_BYTES,
    uid: builder.uid,
    gid: builder.gid,
    layersDir: paths.layers,
    appDir: paths.app,
    stage: plan.stage,
    label: fastPath.inputs && {
      inputs: fastPath.inputs,
      app: appPlan && !("problem" in appPlan) ? appPlan : undefined,
    },
    analyzedPath: `${paths.out}/analyzed.toml`,
    groupPath: `${paths.out}/group.toml`,
    resultPath: `${paths.out}/${PRE_EXPORT_RESULT}`,
  };
  const runs = runsPreExport({ runner: !!executor.preExport, stage: plan.stage, label: !!preExport.label });
  const via = req.publish && runs ? executor.preExport : undefined;
  const specs = planPhases(phaseInputs, paths, {
    trustBuilder: req.trustBuilder,
    user: { uid: builder.uid, gid: builder.gid },
    preExport: via && { command: ["node", via.entry, JSON.stringify(preExport)], chain: via.chain },
  });

  const phases: BuildReport["phases"] = [];
  const layers = emptyActivity();
  let exported: ExportReport | undefined;
  let preExported: PreExportResult | undefined;
  let group: { id: string; version: string }[] = [];
  try {
    await log.group("Preparing workspace", () => executor.prepare());
    for (const spec of specs) {
      const result = await runPhase(spec, executor, { log, clock, layers, memoryLimit: req.memoryLimit });
      phases.push({ phase: spec.phase, ms: result.ms });
      if (result.group) group = result.group;
    }
    exported = readExportReport(executor.readOutput("report.toml"));
  } finally {
    // Read even when a later phase failed: the staging manifest goes either way.
    preExported = readPreExportResult(executor.readOutput(PRE_EXPORT_RESULT));
    await executor.cleanup().catch((err) => log.warn(`cleanup failed: ${String(err)}`));
    if (preExported?.stagingDigest) await dropStaging(registry, target, preExported.stagingDigest, log);
  }
  if (!exported) throw phaseError("export", -1);

  // Pre-export put the inputs in the exporter's image, or a copy gets them (see plan.ts).
  const inputsStep = inputsAfterExport({
    inputs: !!fastPath.inputs,
    labeled: preExported?.labeled === true,
    deletes: deletes?.supported === true,
  });
  let imageSizeBytes: number | undefined;
  let imageId = exported.imageId;
  let imageRef = formatImageRef(target);
  let digest = exported.digest;
  if (req.publish && digest && plan.recompress) {
    const exportedDigest = digest;
    const recompressed = await log
      .group("Recompressing the new layers (--compression small)", () =>
        recompressExported(registry, target, exportedDigest, previousRead, log, preExported),
      )
      .catch((err: unknown) => {
        log.warn(recompressNotes.failed(err instanceof Error ? err.message : String(err)));
        return undefined;
      });
    if (recompressed) {
      digest = recompressed.digest;
      // Without the inputs label below, nothing else moves the tags to it.
      if (inputsStep !== "relabel")
        await tagImage(clientFor, withDigest(target, digest), recompressed, [
          target,
          ...tags.map(parseImageRef),
        ]);
    }
  }
  if (inputsStep === "lost") log.warn(fastPathNotes.inputsLost);
  if (req.publish && digest && fastPath.inputs && inputsStep === "relabel") {
    const { inputs, tree } = fastPath;
    const exportedDigest = digest;
    const appRecord = (labels: Record<string, string>) => {
      if (!tree) return undefined;
      const group = buildpacksOf(labels[BUILD_METADATA_LABEL]);
      const outcome = recordAppLayer(labels, group, tree, owner);
      log.info(
        "record" in outcome
          ? fastPathNotes.appSwapReady(outcome.record.files)
          : fastPathNotes.appSwapNotReady(outcome.reason),
      );
      return "record" in outcome ? outcome.record : undefined;
    };
    digest = await log.group("Recording the build's inputs on the image", () =>
      stampInputs(clientFor, target, exportedDigest, inputs, tags.map(parseImageRef), appRecord).catch(
        (err: unknown) => {
          log.warn(fastPathNotes.stampFailed(err instanceof Error ? err.message : String(err)));
          return exportedDigest;
        },
      ),
    );
  }
  if (req.publish && digest) {
    imageRef = formatImageRef(withDigest(target, digest));
    const manifest = await registry.getManifest(target.repository, digest).catch(() => undefined);
    imageId = manifest?.body.config?.digest ?? imageId;
    imageSizeBytes = manifestSize(manifest);
  } else {
    imageSizeBytes = (await docker.inspectImage(imageRef))?.Size;
  }
  return {
    ...reportBase(req, builder, platformApi, target, tags),
    digest: digest ?? "",
    imageId: imageId ?? "",
    imageRef,
    buildpacks: group,
    layers,
    phases,
    totalMs: clock.now() - started,
    imageSizeBytes,
    fastPath: fastPathReport(fastPath, false),
  };
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

/** The parts of a report that don't depend on how the image came to be. */
function reportBase(
  req: BuildRequest,
  builder: BuilderInfo,
  platformApi: string,
  target: ImageRef,
  tags: string[],
): Pick<BuildReport, "image" | "tags" | "published" | "platform" | "builder" | "cache"> {
  return {
    image: formatImageRef(target),
    tags: [formatImageRef(target), ...tags],
    published: req.publish,
    platform: builder.platform,
    builder: {
      ref: req.builder,
      digest: builder.digest,
      lifecycleVersion: builder.lifecycleVersion,
      platformApi,
    },
    cache: { dir: req.cacheDir, cleared: req.clearCache },
  };
}

function fastPathReport(outcome: FastPathOutcome, used: boolean): BuildReport["fastPath"] {
  return { used, inputDigest: outcome.inputs?.digest, reason: outcome.reason };
}

/** Runs one phase in its own log section; throws a readable error when it fails. */
async function runPhase(
  spec: PhaseSpec,
  executor: Executor,
  ctx: { log: Logger; clock: Clock; layers: LayerActivity; memoryLimit: string | undefined },
): Promise<{ ms: number; group: { id: string; version: string }[] | undefined }> {
  const { log, clock, layers } = ctx;
  const started = clock.now();
  // The detector runs at debug level so a failed detection can show what each buildpack looked for;
  // that output is printed only when detection fails.
  const held: string[] = [];
  const seen: string[] = [];
  return log.group(phaseTitle(spec.phase), async () => {
    const exit = await executor.runPhase(spec, (line) => {
      if (spec.phase === "detect") return void held.push(line);
      seen.push(line);
      log.output(line);
      if (spec.phase === "export" || spec.phase === "create" || spec.phase === "pre-export")
        recordExporterLine(layers, line);
    });
    const ms = clock.now() - started;
    if (spec.phase === "detect" && exit !== 0) {
      for (const line of detectFailureLines(held)) log.output(line);
      throw phaseError(spec.phase, exit, detectFailureReasons(held), ctx.memoryLimit);
    }
    // Pre-export never fails a build: without it, the exporter does all the work.
    if (exit !== 0 && spec.phase === "pre-export") log.warn(preExportNotes.failed(exit));
    else if (exit !== 0) throw phaseError(spec.phase, exit, [], ctx.memoryLimit);
    if (spec.phase === "detect") {
      const group = readGroup(executor.readOutput("group.toml"));
      for (const bp of group) log.output(`${bp.id} ${bp.version}`);
      return { ms, group };
    }
    return { ms, group: spec.phase === "create" ? groupFromCreatorOutput(seen) : undefined };
  });
}

function phaseTitle(phase: Phase): string {
  return {
    analyze: "ANALYZING",
    detect: "DETECTING",
    restore: "RESTORING",
    build: "BUILDING",
    export: "EXPORTING",
    create: "CREATING (analyze, detect, restore, build, export in one container)",
    "pre-export":
      "PRE-EXPORTING (the build's inputs for the exporter; where the registry deletes, new layers of 8 MiB or more compressed once on every core)",
  }[phase];
}

function phaseError(
  phase: Phase,
  code: number,
  reasons: string[] = [],
  memoryLimit?: string,
): MlBuildpacksError {
  const { title, hint } = explainExit(phase, code, memoryLimit);
  const detail = [...reasons, `(lifecycle ${phase} phase exited with code ${code})`].join("\n");
  return new MlBuildpacksError({ title, hint, detail, exitCode: 1 });
}

function clearDir(dir: string, log: Logger): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
  log.info(`cleared the layer cache in ${dir}`);
}

interface ExportReport {
  digest: string | undefined;
  imageId: string | undefined;
}

function readExportReport(text: string | undefined): ExportReport | undefined {
  if (!text) return undefined;
  const doc = parseTomlFile(text, "report.toml") as { image?: { digest?: string; "image-id"?: string } };
  if (!doc.image?.digest && !doc.image?.["image-id"]) return undefined;
  return { digest: doc.image.digest, imageId: doc.image["image-id"] };
}

function readGroup(text: string | undefined): { id: string; version: string }[] {
  if (!text) return [];
  const doc = parseTomlFile(text, "group.toml") as { group?: { id: string; version: string }[] };
  return (doc.group ?? []).map(({ id, version }) => ({ id, version }));
}

/** The pre-export result file, if pre-export ran and staged layers (malformed: none). */
/** The staging manifest served the exporter only; its blobs stay, as the image (if any) uses them. */
async function dropStaging(registry: RegistryClient, target: ImageRef, digest: string, log: Logger) {
  const { deleted, why } = await registry.deleteManifest(target.repository, digest);
  if (!deleted) log.info(preExportNotes.stagingKept(digest, why ?? "unknown"));
}

function readPreExportResult(text: string | undefined): PreExportResult | undefined {
  if (!text) return undefined;
  try {
    const doc = JSON.parse(text) as PreExportResult;
    return Array.isArray(doc.layers) ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** The platform's lines about pre-export (pre-export's own are in src/pre-export). */
const preExportNotes = {
  failed: (code: number) =>
    `pre-export exited with code ${code}; the exporter compresses and pushes every layer itself`,
  stagingKept: (digest: string, why: string) =>
    `the registry did not delete the staging manifest ${digest} (${why}): it stays untagged until its garbage collection`,
};
