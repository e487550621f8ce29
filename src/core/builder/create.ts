import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Docker } from "../docker.js";
import { MlBuildpacksError } from "../errors.js";
import { parseImageRef } from "../image-ref.js";
import { DEFAULT_LIFECYCLE_VERSION, lifecycleApis } from "../lifecycle/versions.js";
import { formatBytes, type Logger } from "../log.js";
import { messages } from "../messages.js";
import { pinForPlatform } from "../platform.js";
import { PRE_EXPORT_ENTRY } from "../pre-export/contract.js";
import type { ProcessRunner } from "../process.js";
import { RegistryClient } from "../registry/client.js";
import { resolveRegistryAuth } from "../registry/credentials.js";
import { stringifyToml } from "../toml.js";
import { ML_BUILDPACKS_VERSION } from "../version.js";
import {
  type BuilderNames,
  type BuildpackDescriptor,
  builderConfigText,
  readBuilderConfig,
  readBuildpackDescriptor,
  resolveOrder,
} from "./config.js";
import { readGoBuildInfo } from "./go-buildinfo.js";
import { builderLabels, buildpackPath } from "./labels.js";
import { binarySbomFiles } from "./lifecycle-sbom.js";

export interface CreateBuilderRequest {
  configFile: string;
  image: string;
  /** Directory with the lifecycle and launcher binaries for the builder's architecture. */
  lifecycleDir: string;
  publish: boolean;
  /** linux/amd64 or linux/arm64: which child of a multi-arch build image to build on. */
  platform: string;
  /**
   * The bundled CLI (a dir with index.js and package.json, i.e. dist/cli): copied to /cnb/ml-buildpacks
   * with an `ml-buildpacks` wrapper on PATH, so CI jobs running in the builder can build without Docker.
   */
  cliDir?: string;
  /** Fill the builder.toml template's image names (the release's namespace and version). */
  names?: BuilderNames;
  /**
   * How our registry client reads the build image (a private CA, a plain-HTTP registry); Docker,
   * which pulls it and pushes the builder, follows the daemon's own settings.
   */
  caCerts?: string;
  insecureRegistries?: string[];
}

/** Where the builder carries the CLI, and its wrapper on PATH (node is in the build image). */
export const BUILDER_CLI_DIR = "/cnb/ml-buildpacks";
export const BUILDER_CLI_WRAPPER = "/usr/local/bin/ml-buildpacks";

export interface CreateBuilderResult {
  image: string;
  imageId: string;
  digest: string | undefined;
  buildpacks: string[];
  sizeBytes: number;
}

const PHASE_LINKS = [
  "analyzer",
  "detector",
  "restorer",
  "builder",
  "exporter",
  "creator",
  "rebaser",
  "extender",
];

export async function createBuilder(
  req: CreateBuilderRequest,
  deps: { docker: Docker; run: ProcessRunner; log: Logger },
): Promise<CreateBuilderResult> {
  const { docker, log } = deps;
  const config = readBuilderConfig(req.configFile, req.names);
  const configText = builderConfigText(req.configFile, req.names);
  const buildpacks = config.buildpackDirs.map(readBuildpackDescriptor);
  const order = resolveOrder(config, buildpacks, configText);
  for (const bp of buildpacks) {
    if (!existsSync(join(bp.dir, "bin", "main.mjs")))
      throw new MlBuildpacksError(messages.buildpackNotBuilt(bp.dir));
  }
  const lifecycleVersion = await readLifecycleVersion(req.lifecycleDir, config.lifecycleVersion, deps.run);
  const apis = lifecycleApis(lifecycleVersion);

  const auth = resolveRegistryAuth([parseImageRef(config.buildImage).registry]);
  const buildImageRef = await pinForPlatform(
    config.buildImage,
    req.platform,
    (r) => new RegistryClient(r, { auth, caCerts: req.caCerts, insecureRegistries: req.insecureRegistries }),
  );
  const buildImage = await log.group(`Resolving build image ${buildImageRef} (${req.platform})`, () =>
    docker.ensureImage(buildImageRef, { pull: "missing", platform: req.platform }),
  );
  const builtFor = `${buildImage.Os}/${buildImage.Architecture}`;
  if (builtFor !== req.platform)
    throw new MlBuildpacksError(messages.unsupportedPlatform(req.platform, buildImageRef, builtFor));
  log.info(
    `build image ${buildImage.Id.slice(0, 19)} (${buildImage.Os}/${buildImage.Architecture}), lifecycle ${lifecycleVersion}`,
  );

  const context = mkdtempSync(join(tmpdir(), "ml-buildpacks-builder-"));
  try {
    const dockerfile = writeContext(
      context,
      req.lifecycleDir,
      buildpacks,
      { ...config, buildImage: buildImageRef },
      order,
      req.cliDir,
    );
    const stageTag = `ml-buildpacks-builder-stage:${process.pid}`;
    await log.group("Assembling builder layers", () =>
      docker.must(
        "build the builder image",
        [
          "build",
          "--network",
          "host",
          "--platform",
          req.platform,
          "-q",
          "-t",
          stageTag,
          "-f",
          dockerfile,
          context,
        ],
        {
          env: { DOCKER_BUILDKIT: "1" },
        },
      ),
    );
    const staged = await docker.inspectImage(stageTag);
    if (!staged) throw new MlBuildpacksError(messages.dockerFailed("find the image it just built", stageTag));
    // One COPY layer per buildpack, right after the build image's own layers.
    const base = buildImage.RootFS.Layers.length;
    const layerDiffIds = buildpacks.map((_, i) => staged.RootFS.Layers[base + i] ?? "");
    const labels = builderLabels({
      config,
      order,
      buildpacks,
      layerDiffIds,
      lifecycleVersion,
      apis,
      createdBy: { name: "ml-buildpacks", version: ML_BUILDPACKS_VERSION },
    });
    const labelFile = join(context, "Dockerfile.labels");
    writeFileSync(labelFile, `FROM ${stageTag}\n`);
    await log.group("Writing builder labels", () =>
      docker.must(
        "label the builder image",
        [
          "build",
          "--network",
          "host",
          "--platform",
          req.platform,
          "-q",
          "-t",
          req.image,
          "-f",
          labelFile,
          ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
          context,
        ],
        { env: { DOCKER_BUILDKIT: "1" } },
      ),
    );
    await docker.exec(["image", "rm", stageTag]);

    let digest: string | undefined;
    if (req.publish) {
      await log.group(`Pushing ${req.image}`, () =>
        docker.must(`push ${req.image}`, ["push", req.image], { onLine: (l) => log.output(l) }),
      );
    }
    const final = await docker.inspectImage(req.image);
    if (!final)
      throw new MlBuildpacksError(messages.dockerFailed("find the builder it just built", req.image));
    if (req.publish) {
      const repo = req.image.replace(/(:[\w][\w.-]*)?$/, "");
      digest = (final.RepoDigests ?? []).find((d) => d.startsWith(`${repo}@`))?.split("@")[1];
    }
    const result: CreateBuilderResult = {
      image: req.image,
      imageId: final.Id,
      digest,
      buildpacks: buildpacks.map((b) => `${b.id}@${b.version}`),
      sizeBytes: final.Size,
    };
    log.info(
      `Builder ${req.image}${digest ? `@${digest}` : ""}: ${result.buildpacks.join(", ")}; ${order.length} order group(s); ${formatBytes(final.Size)}`,
    );
    return result;
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** Lays out the docker build context and returns the Dockerfile path (exported for tests). */
export function writeContext(
  context: string,
  lifecycleDir: string,
  buildpacks: BuildpackDescriptor[],
  config: ReturnType<typeof readBuilderConfig>,
  order: { group: { id: string; version?: string; optional?: boolean }[] }[],
  cliDir: string | undefined,
): string {
  const lines = [`FROM ${config.buildImage}`];
  buildpacks.forEach((bp, i) => {
    const dest = join(context, `bp${i}`);
    mkdirSync(dest);
    cpSync(join(bp.dir, "buildpack.toml"), join(dest, "buildpack.toml"));
    cpSync(join(bp.dir, "bin"), join(dest, "bin"), { recursive: true });
    for (const f of ["detect", "build"]) chmodSync(join(dest, "bin", f), 0o755);
    lines.push(`COPY bp${i} ${buildpackPath(bp)}`);
  });

  const lc = join(context, "lifecycle");
  mkdirSync(lc);
  for (const bin of ["lifecycle", "launcher"]) {
    cpSync(join(lifecycleDir, bin), join(lc, bin));
    chmodSync(join(lc, bin), 0o755);
    writeBinarySboms(lc, bin);
  }
  for (const link of PHASE_LINKS) symlinkSync("lifecycle", join(lc, link));
  lines.push("COPY lifecycle /cnb/lifecycle");

  const runImages = config.runImages.map((r) => ({ image: r.image, mirrors: r.mirrors }));
  writeFileSync(join(context, "order.toml"), stringifyToml({ order }));
  writeFileSync(join(context, "run.toml"), stringifyToml({ images: runImages }));
  // stack.toml serves platforms older than Platform API 0.12 (and pack's rebase).
  writeFileSync(join(context, "stack.toml"), stringifyToml({ "run-image": runImages[0] ?? {} }));
  lines.push("COPY order.toml run.toml stack.toml /cnb/");
  if (cliDir) {
    for (const f of ["index.js", "package.json"])
      if (!existsSync(join(cliDir, f))) throw new MlBuildpacksError(messages.cliBundleNotFound(cliDir, f));
    mkdirSync(join(context, "cli"));
    for (const f of ["index.js", "package.json"]) cpSync(join(cliDir, f), join(context, "cli", f));
    // Pre-export beside it, where preExportDir finds it inside a builder: jobs that build in the
    // builder (GitLab, Tekton) then record their inputs in the exporter's image too.
    const preExport = join(cliDir, "..", "pre-export");
    if (existsSync(join(preExport, PRE_EXPORT_ENTRY)))
      cpSync(preExport, join(context, "cli", "pre-export"), { recursive: true });
    // cosign, when the lifecycle dir has one for this platform (scripts/cosign.sh, sha256-pinned):
    // builds sign with it wherever they run (core/sign).
    if (existsSync(join(lifecycleDir, "cosign"))) {
      cpSync(join(lifecycleDir, "cosign"), join(context, "cli", "cosign"));
      chmodSync(join(context, "cli", "cosign"), 0o755);
    }
    writeFileSync(join(context, "ml-buildpacks"), `#!/bin/sh\nexec node ${BUILDER_CLI_DIR}/index.js "$@"\n`, {
      mode: 0o755,
    });
    chmodSync(join(context, "ml-buildpacks"), 0o755);
    // Two small layers after the buildpacks' (whose positions the labels record).
    lines.push(`COPY cli ${BUILDER_CLI_DIR}`, `COPY ml-buildpacks ${BUILDER_CLI_WRAPPER}`);
  }
  const dockerfile = join(context, "Dockerfile");
  writeFileSync(dockerfile, `${lines.join("\n")}\n`);
  return dockerfile;
}

/**
 * Beside a lifecycle binary, its SBOMs (<bin>.sbom.<ext>) from its Go build info, for the exporter
 * to put in every image. A binary without build info gets none: the exporter then warns, as it
 * would for any lifecycle without them, and the builder is still made.
 */
function writeBinarySboms(lc: string, bin: string): void {
  const info = readGoBuildInfo(readFileSync(join(lc, bin)));
  if (!info) return;
  const tool = { name: "ml-buildpacks", version: ML_BUILDPACKS_VERSION };
  for (const [name, text] of Object.entries(binarySbomFiles(bin, `/cnb/lifecycle/${bin}`, info, tool)))
    writeFileSync(join(lc, name), text);
}

async function readLifecycleVersion(
  dir: string,
  declared: string | undefined,
  run: ProcessRunner,
): Promise<string> {
  const binary = join(dir, "lifecycle");
  if (!existsSync(binary) || !existsSync(join(dir, "launcher")))
    throw new MlBuildpacksError(messages.lifecycleNotFound(dir));
  const result = await run(binary, ["-version"]).catch(() => undefined);
  const reported = result?.exitCode === 0 ? result.stdout.trim() : "";
  // Built without ldflags the lifecycle says 0.0.0: fall back to what builder.toml declares.
  const version = reported && reported !== "0.0.0" ? reported : (declared ?? DEFAULT_LIFECYCLE_VERSION);
  return version;
}
