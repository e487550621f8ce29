// The phases of a build that could not take the fast path: the executor, pre-export's request, every
// phase in order, and what the exporter and pre-export left in the out dir.
import type { BuilderInfo } from "../builder/inspect.js";
import type { Executor } from "../executor/types.js";
import { planAppLayer } from "../fast-path/app-layer.js";
import type { FastPathOutcome } from "../fast-path/index.js";
import { fastPathNotes } from "../fast-path/notes.js";
import { formatImageRef, type ImageRef, parseImageRef } from "../image-ref.js";
import { emptyActivity, type LayerActivity } from "../lifecycle/output.js";
import { CONTAINER_PATHS, type PhasePaths, planPhases } from "../lifecycle/phases.js";
import type { Logger } from "../log.js";
import {
  PRE_EXPORT_RESULT,
  type PreExportRequest,
  type PreExportResult,
  preExportCompression,
} from "../pre-export/contract.js";
import {
  type DeleteSupport,
  runsPreExport,
  type ThrowawayPlan,
  throwawayPlan,
} from "../pre-export/throwaway-plan.js";
import { MIN_RECOMPRESS_BYTES } from "../recompress.js";
import { type RegistryClient, repositoryOfPath } from "../registry/client.js";
import type { RegistryQuestions } from "../registry/push-failures.js";
import type { BuildReport } from "../report.js";
import type { BuildRequest } from "../request.js";
import { parseTomlFile } from "../toml.js";
import { pullBuilder } from "./builder.js";
import type { BuildDeps } from "./deps.js";
import { type Group, phaseError, preExportNotes, runPhase } from "./phase-runner.js";
import type { RegistryAccess } from "./registry-access.js";
import { type BuildTargets, tagNames } from "./targets.js";

export interface LifecycleRun {
  phases: BuildReport["phases"];
  layers: LayerActivity;
  group: Group;
  exported: { digest: string | undefined; imageId: string | undefined };
  preExported: PreExportResult | undefined;
  deletes: DeleteSupport | undefined;
  plan: ThrowawayPlan;
}

export interface LifecycleInputs {
  req: BuildRequest;
  builder: BuilderInfo;
  platformApi: string;
  names: BuildTargets;
  access: RegistryAccess;
  registry: RegistryClient;
  fastPath: FastPathOutcome;
  deletesProbe: Promise<DeleteSupport> | undefined;
  deps: BuildDeps;
}

export async function runLifecycle(run: LifecycleInputs): Promise<LifecycleRun> {
  const { req, builder, platformApi, names, access, deps } = run;
  const { log, clock } = deps;
  await pullBuilder(builder, deps);
  // The lifecycle reads the builder's run image (or a mirror of it) too: its registry's credentials.
  access.add(builder.runImages.map((r) => parseImageRef(r).registry));
  const executor = deps.makeExecutor(builder, platformApi, access.lifecycleEnv());
  const paths = executor.paths ?? CONTAINER_PATHS;
  const deletes = await run.deletesProbe;
  const plan = throwawayPlan(deletes, req.compression);
  if (plan.note) log.info(plan.note);
  const preExport = preExportRequest(run, executor, paths, plan);
  const runs = runsPreExport({ runner: !!executor.preExport, stage: plan.stage, label: !!preExport.label });
  const via = req.publish && runs ? executor.preExport : undefined;
  const { image, tags } = tagNames(names);
  const specs = planPhases(
    {
      platformApi,
      image,
      additionalTags: tags,
      runImage: req.runImage,
      previousImage: names.previous && formatImageRef(names.previous),
      useCache: req.cacheDir !== undefined,
      logLevel: req.logLevel === "debug" ? "debug" : "info",
      defaultProcess: req.defaultProcess,
      insecureRegistries: req.insecureRegistries,
      daemon: !req.publish,
    },
    paths,
    {
      trustBuilder: req.trustBuilder,
      user: { uid: builder.uid, gid: builder.gid },
      preExport: via && { command: ["node", via.entry, JSON.stringify(preExport)], chain: via.chain },
    },
  );

  const phases: BuildReport["phases"] = [];
  const layers = emptyActivity();
  let exported: LifecycleRun["exported"] | undefined;
  let preExported: PreExportResult | undefined;
  let group: Group = [];
  try {
    await log.group("Preparing workspace", () => executor.prepare());
    for (const spec of specs) {
      const result = await runPhase(spec, executor, {
        log,
        clock,
        layers,
        memoryLimit: req.memoryLimit,
        askRegistry: questionsFor(run.registry),
      });
      phases.push({ phase: spec.phase, ms: result.ms });
      if (result.group) group = result.group;
    }
    exported = readExportReport(executor.readOutput("report.toml"));
  } finally {
    // Read even when a later phase failed: the staging manifest goes either way.
    preExported = readPreExportResult(executor.readOutput(PRE_EXPORT_RESULT));
    await executor.cleanup().catch((err) => log.warn(`cleanup failed: ${String(err)}`));
    if (preExported?.stagingDigest)
      await dropStaging(run.registry, names.target, preExported.stagingDigest, log);
  }
  if (!exported) throw phaseError("export", -1);
  return { phases, layers, group, exported, preExported, deletes, plan };
}

/** The target registry's answers about a URL the exporter named; none for a URL on another host. */
function questionsFor(registry: RegistryClient): RegistryQuestions {
  const pathOn = (url: string) => {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    return parsed?.host === registry.registry ? parsed.pathname : undefined;
  };
  return {
    get: async (url) => {
      const path = pathOn(url);
      return path ? registry.errorAnswer(path) : undefined;
    },
    upload: async (url) => {
      const repository = repositoryOfPath(pathOn(url) ?? "");
      return repository ? registry.uploadAnswer(repository) : undefined;
    },
  };
}

/** What pre-export needs: it talks to the target registry as the lifecycle does (same plain-HTTP list, same CA). */
function preExportRequest(
  run: LifecycleInputs,
  executor: Executor,
  paths: PhasePaths,
  plan: ThrowawayPlan,
): PreExportRequest {
  const { req, builder, fastPath } = run;
  const owner = { uid: builder.uid, gid: builder.gid };
  // The app layer's diffID from the source, for pre-export's app record (no runner: relabel or none).
  const appPlan =
    fastPath.inputs && fastPath.tree && executor.preExport ? planAppLayer(fastPath.tree, owner) : undefined;
  if (appPlan && "problem" in appPlan) run.deps.log.info(fastPathNotes.appSwapNotReady(appPlan.problem));
  return {
    image: formatImageRef(run.names.target),
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
}

function readExportReport(text: string | undefined): LifecycleRun["exported"] | undefined {
  if (!text) return undefined;
  const doc = parseTomlFile(text, "report.toml") as { image?: { digest?: string; "image-id"?: string } };
  if (!doc.image?.digest && !doc.image?.["image-id"]) return undefined;
  return { digest: doc.image.digest, imageId: doc.image["image-id"] };
}

/** The pre-export result file, if pre-export ran and staged layers (malformed: none). */
function readPreExportResult(text: string | undefined): PreExportResult | undefined {
  if (!text) return undefined;
  try {
    const doc = JSON.parse(text) as PreExportResult;
    return Array.isArray(doc.layers) ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** The staging manifest served the exporter only; its blobs stay, as the image (if any) uses them. */
async function dropStaging(registry: RegistryClient, target: ImageRef, digest: string, log: Logger) {
  const { deleted, why } = await registry.deleteManifest(target.repository, digest);
  if (!deleted) log.info(preExportNotes.stagingKept(digest, why ?? "unknown"));
}
