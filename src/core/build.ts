import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { type BuilderInfo, builderInfo } from "./builder/inspect.js";
import type { Docker } from "./docker.js";
import { MlBuildpacksError } from "./errors.js";
import type { Executor } from "./executor/types.js";
import { formatImageRef, parseImageRef, withDigest } from "./image-ref.js";
import { explainExit } from "./lifecycle/exit-codes.js";
import {
  detectFailureLines,
  detectFailureReasons,
  emptyActivity,
  recordExporterLine,
} from "./lifecycle/output.js";
import { type Phase, phaseSpecs } from "./lifecycle/phases.js";
import { negotiatePlatformApi, SUPPORTED_PLATFORM_APIS } from "./lifecycle/versions.js";
import type { Clock, Logger } from "./log.js";
import { messages } from "./messages.js";
import { RegistryClient } from "./registry/client.js";
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

/** Runs analyze, detect, restore, build and export for one image and returns the report. */
export async function build(req: BuildRequest, deps: BuildDeps): Promise<BuildReport> {
  const { docker, log, clock } = deps;
  const started = clock.now();
  if (!existsSync(req.appDir) || !statSync(req.appDir).isDirectory())
    throw new MlBuildpacksError(messages.appDirNotFound(req.appDir));
  const target = parseImageRef(req.image);
  const tags = req.additionalTags.map((t) => formatImageRef(parseImageRef(t)));

  const builder = await log.group(`Resolving builder ${req.builder}`, async () => {
    await docker.ping();
    const image = await docker.ensureImage(req.builder, { pull: req.pull, platform: req.platform });
    const info = builderInfo(req.builder, image);
    log.info(
      `builder ${info.digest ?? info.imageId} for ${info.platform}, lifecycle ${info.lifecycleVersion}, CNB user ${info.uid}:${info.gid}`,
    );
    return info;
  });
  if (req.platform && req.platform !== builder.platform)
    throw new MlBuildpacksError(messages.unsupportedPlatform(req.platform, req.builder, builder.platform));
  const platformApi = negotiatePlatformApi(builder.platformApis);
  if (!platformApi)
    throw new MlBuildpacksError(
      messages.noCommonPlatformApi(req.builder, builder.platformApis, [...SUPPORTED_PLATFORM_APIS]),
    );

  const registries = [...new Set([target.registry, ...tags.map((t) => parseImageRef(t).registry)])];
  const auth = resolveRegistryAuth(registries, deps.env);
  for (const secret of secretsOf(auth)) deps.registerSecret?.(secret);
  // Fail before any phase when the target registry is down: nothing half-built, nothing pushed.
  const registry = new RegistryClient(target.registry, { auth });
  await registry.ping(req.image);

  if (req.clearCache && req.cacheDir) clearDir(req.cacheDir, log);
  const secretEnv: Record<string, string> = Object.keys(auth).length
    ? { CNB_REGISTRY_AUTH: JSON.stringify(auth) }
    : {};
  const executor = deps.makeExecutor(builder, platformApi, secretEnv);
  const specs = phaseSpecs({
    platformApi,
    image: formatImageRef(target),
    additionalTags: tags,
    runImage: req.runImage,
    previousImage: undefined,
    useCache: req.cacheDir !== undefined,
    logLevel: req.logLevel === "debug" ? "debug" : "info",
    defaultProcess: req.defaultProcess,
    insecureRegistries: [],
  });

  const phases: BuildReport["phases"] = [];
  const layers = emptyActivity();
  let exported: ExportReport | undefined;
  let group: { id: string; version: string }[] = [];
  try {
    await log.group("Preparing workspace", () => executor.prepare());
    for (const spec of specs) {
      const phaseStarted = clock.now();
      // The detector runs at debug level so a failed detection can show what each buildpack looked for;
      // that output is only printed when detection fails.
      const detectLines: string[] = [];
      await log.group(phaseTitle(spec.phase), async () => {
        const exit = await executor.runPhase(spec, (line) => {
          if (spec.phase === "detect") return void detectLines.push(line);
          log.output(line);
          if (spec.phase === "export") recordExporterLine(layers, line);
        });
        phases.push({ phase: spec.phase, ms: clock.now() - phaseStarted });
        if (spec.phase === "detect" && exit !== 0) {
          for (const line of detectFailureLines(detectLines)) log.output(line);
          throw phaseError(spec.phase, exit, detectFailureReasons(detectLines));
        }
        if (exit !== 0) throw phaseError(spec.phase, exit);
        if (spec.phase === "detect") {
          group = readGroup(executor.readOutput("group.toml"));
          for (const bp of group) log.output(`${bp.id} ${bp.version}`);
        }
      });
    }
    exported = readExportReport(executor.readOutput("report.toml"));
  } finally {
    await executor.cleanup().catch((err) => log.warn(`cleanup failed: ${String(err)}`));
  }
  if (!exported) throw phaseError("export", -1);

  const imageSizeBytes = await registry.imageSize(target.repository, exported.digest).catch(() => undefined);
  return {
    image: formatImageRef(target),
    digest: exported.digest,
    imageRef: formatImageRef(withDigest(target, exported.digest)),
    tags: [formatImageRef(target), ...tags],
    platform: builder.platform,
    builder: {
      ref: req.builder,
      digest: builder.digest,
      lifecycleVersion: builder.lifecycleVersion,
      platformApi,
    },
    buildpacks: group,
    layers,
    phases,
    totalMs: clock.now() - started,
    imageSizeBytes,
    cache: { dir: req.cacheDir, cleared: req.clearCache },
  };
}

function phaseTitle(phase: Phase): string {
  return {
    analyze: "ANALYZING",
    detect: "DETECTING",
    restore: "RESTORING",
    build: "BUILDING",
    export: "EXPORTING",
  }[phase];
}

function phaseError(phase: Phase, code: number, reasons: string[] = []): MlBuildpacksError {
  const { title, hint } = explainExit(phase, code);
  const detail = [...reasons, `(lifecycle ${phase} phase exited with code ${code})`].join("\n");
  return new MlBuildpacksError({ title, hint, detail, exitCode: 1 });
}

function clearDir(dir: string, log: Logger): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
  log.info(`cleared the layer cache in ${dir}`);
}

interface ExportReport {
  digest: string;
  tags: string[];
}

function readExportReport(text: string | undefined): ExportReport | undefined {
  if (!text) return undefined;
  const doc = parseTomlFile(text, "report.toml") as { image?: { digest?: string; tags?: string[] } };
  return doc.image?.digest ? { digest: doc.image.digest, tags: doc.image.tags ?? [] } : undefined;
}

function readGroup(text: string | undefined): { id: string; version: string }[] {
  if (!text) return [];
  const doc = parseTomlFile(text, "group.toml") as { group?: { id: string; version: string }[] };
  return (doc.group ?? []).map(({ id, version }) => ({ id, version }));
}
