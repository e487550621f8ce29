// `rebase`: swaps the run image under an app image, every platform of a manifest list, without a
// build. Everything is read and checked first (the image, each platform's run image and builder);
// then the lifecycle's rebaser runs per platform and pushes TAG-ARCH; the list's tag moves last.
// With a signing key, every new image and the list are signed by digest before a tag names them.
import { choosePlatformApi, pullBuilder, resolveBuilder } from "../build/builder.js";
import { RegistryAccess } from "../build/registry-access.js";
import { openSignerWith } from "../build/sign.js";
import type { BuilderInfo } from "../builder/inspect.js";
import type { Docker } from "../docker.js";
import { MlBuildpacksError } from "../errors.js";
import { formatImageRef, type ImageRef, parseImageRef } from "../image-ref.js";
import type { Logger } from "../log.js";
import { createIndex, formatPlatform, samePlatform } from "../manifest.js";
import { hostPlatform } from "../platform.js";
import type { ProcessRunner } from "../process.js";
import type { RegistryClient } from "../registry/client.js";
import { proxyEnv } from "../registry/proxy.js";
import type { Signer, SignOptions } from "../sign/index.js";
import { rebaseMessages } from "./messages.js";
import {
  type ArchPlan,
  defaultRunImageName,
  type ImageConfig,
  planArch,
  platformOf,
  type RecordedRunImage,
  recordedRunImage,
  stagingTag,
} from "./plan.js";
import { type StagedImage, signOrExplain, signThenTag } from "./publish.js";
import { type RebaserHost, runRebaser } from "./rebaser.js";
import { dropStagingTag } from "./staging.js";

export interface RebaseRequest {
  /** The image (a tag) to rebase: a manifest list or a single-platform image. */
  image: string;
  /** Run image to rebase onto (a list or one image); default: the one each image recorded, re-resolved. */
  runImage: string | undefined;
  /** The builder whose lifecycle runs the rebaser (its child for each platform). */
  builder: string;
  caCerts: string | undefined;
  insecureRegistries: string[];
  logLevel: "info" | "debug";
  /** Sign each new image and the new list by digest (cosign) before a tag names it. */
  sign?: SignOptions;
}

export interface RebaseDeps {
  docker: Docker;
  log: Logger;
  /**
   * Set inside a builder image without Docker (Tekton, GitLab): this builder's lifecycle rebases
   * every platform. Unset: each platform's builder image runs the rebaser in a container.
   */
  local?: { run: ProcessRunner; builder: BuilderInfo };
  env?: NodeJS.ProcessEnv;
  registerSecret?: (secret: string) => void;
}

export interface RebasedPlatform {
  platform: string;
  previousDigest: string;
  digest: string;
  /** The run image it is on now (pinned), and the one it was on. */
  runImage: string;
  previousRunImage: string;
  /** False when it already was on that run image (nothing was pushed for it). */
  rebased: boolean;
}

/** The JSON `--report` writes. */
export interface RebaseReport {
  image: string;
  /** The manifest list's digest before and after; absent for a single-platform image. */
  previousIndexDigest?: string;
  indexDigest?: string;
  platforms: RebasedPlatform[];
}

interface Child {
  digest: string;
  config: ImageConfig;
  recorded: RecordedRunImage;
}

async function readChildren(
  target: ImageRef,
  client: RegistryClient,
): Promise<{ digest: string; single: boolean; children: Child[] }> {
  const shown = formatImageRef(target);
  const top = await client.getManifest(target.repository, target.tag as string);
  if (!top) throw new MlBuildpacksError(rebaseMessages.imageNotFound(shown));
  const descriptors = top.body.manifests;
  const entries = descriptors
    ? descriptors.map((d) => {
        if (!d.platform || d.platform.os === "unknown")
          throw new MlBuildpacksError(
            rebaseMessages.unsupportedChild(shown, `${d.digest}, ${d.mediaType ?? "no media type"}`),
          );
        return d.digest;
      })
    : [top.digest];
  const children: Child[] = [];
  for (const digest of entries) {
    const manifest = digest === top.digest ? top : await client.getManifest(target.repository, digest);
    const config = manifest && (await client.getConfig<ImageConfig>(target.repository, manifest));
    if (!config) throw new MlBuildpacksError(rebaseMessages.imageNotFound(`${shown} (${digest})`));
    children.push({ digest, config, recorded: recordedRunImage(`${shown} (${digest})`, config) });
  }
  return { digest: top.digest, single: !descriptors, children };
}

/** The run image for one platform: its child of a list, or the image itself when its platform fits. */
async function resolveRunImage(
  name: string,
  named: string,
  appConfig: ImageConfig,
  access: RegistryAccess,
): Promise<{ ref: ImageRef; digest: string; config: ImageConfig }> {
  const ref = parseImageRef(name);
  access.add([ref.registry]);
  const client = access.clientFor(ref.registry);
  const top = await client.getManifest(ref.repository, (ref.digest ?? ref.tag) as string);
  if (!top) throw new MlBuildpacksError(rebaseMessages.runImageNotFound(name, named));
  const wanted = platformOf(appConfig);
  let manifest = top;
  if (top.body.manifests) {
    const child = top.body.manifests.find((m) => m.platform && samePlatform(m.platform, wanted));
    if (!child)
      throw new MlBuildpacksError(
        rebaseMessages.runImagePlatform(
          name,
          formatPlatform(wanted),
          top.body.manifests.flatMap((m) => (m.platform ? [formatPlatform(m.platform)] : [])),
        ),
      );
    const childManifest = await client.getManifest(ref.repository, child.digest);
    if (!childManifest) throw new MlBuildpacksError(rebaseMessages.runImageNotFound(name, named));
    manifest = childManifest;
  }
  const config = await client.getConfig<ImageConfig>(ref.repository, manifest);
  if (!config) throw new MlBuildpacksError(rebaseMessages.runImageNotFound(name, named));
  return { ref, digest: manifest.digest, config };
}

export async function rebase(req: RebaseRequest, deps: RebaseDeps): Promise<RebaseReport> {
  const { log, docker } = deps;
  const env = deps.env ?? process.env;
  const target = parseImageRef(req.image);
  if (target.digest || !target.tag) throw new MlBuildpacksError(rebaseMessages.needsTag(req.image));
  const access = new RegistryAccess([target.registry], req, {
    env,
    log,
    registerSecret: deps.registerSecret,
  });
  const shown = formatImageRef(target);

  const { plans, single, indexDigest } = await log.group(`Reading ${shown}`, async () => {
    const read = await readChildren(target, access.clientFor(target.registry));
    const out: ArchPlan[] = [];
    for (const child of read.children) {
      const name = req.runImage ?? defaultRunImageName(child.recorded.names, target.registry);
      if (!name) throw new MlBuildpacksError(rebaseMessages.noRunImageName(`${shown} (${child.digest})`));
      const named = req.runImage ? "--run-image" : "the run image the image was built on";
      const runImage = await resolveRunImage(name, named, child.config, access);
      const plan = planArch({
        target,
        single: read.single,
        appDigest: child.digest,
        appConfig: child.config,
        recorded: child.recorded,
        runImage,
      });
      log.info(
        `${formatPlatform(plan.platform)}  ${child.digest}: run image ${child.recorded.reference || "?"} -> ${plan.runImage}${plan.upToDate ? " (already on it)" : ""}`,
      );
      out.push(plan);
    }
    return { plans: out, single: read.single, indexDigest: read.digest };
  });

  const report = (digests: Map<ArchPlan, string>, newIndex?: string): RebaseReport => ({
    image: shown,
    ...(single ? {} : { previousIndexDigest: indexDigest, ...(newIndex ? { indexDigest: newIndex } : {}) }),
    platforms: plans.map((p) => ({
      platform: formatPlatform(p.platform),
      previousDigest: p.previousDigest,
      digest: digests.get(p) ?? p.previousDigest,
      runImage: p.runImage,
      previousRunImage: p.previousRunImage,
      rebased: digests.has(p),
    })),
  });
  const todo = plans.filter((p) => !p.upToDate);
  if (todo.length === 0) {
    log.info(`${shown} is already on that run image: nothing to push`);
    return report(new Map(), single ? undefined : indexDigest);
  }

  // Every platform's builder is found before the first push: a missing one changes nothing.
  const builders = new Map<ArchPlan, { builder: BuilderInfo; platformApi: string }>();
  for (const plan of todo) {
    const builder =
      deps.local?.builder ??
      (await resolveBuilder(
        { ...req, pull: "missing", platform: formatPlatform(plan.platform) },
        { docker, log, env },
      ));
    builders.set(plan, { builder, platformApi: choosePlatformApi(req, builder) });
  }
  const host: RebaserHost = deps.local ? { kind: "local", run: deps.local.run } : { kind: "docker", docker };
  // Opened before the first push: a wrong key or password changes nothing.
  const signer =
    req.sign && (await openRebaseSigner(req.sign, req, [...builders.values()], access, deps, env));
  const targetClient = access.clientFor(target.registry);
  const deletes = signer ? await targetClient.deleteSupport(target.repository) : undefined;

  const digests = new Map<ArchPlan, string>();
  const rebaserEnv = { ...proxyEnv(env), ...access.lifecycleEnv() };
  try {
    for (const plan of todo) {
      const { builder, platformApi } = builders.get(plan) as { builder: BuilderInfo; platformApi: string };
      if (!deps.local) await pullBuilder(builder, { docker, log });
      // The lifecycle's rebaser pushes under a tag it is given (it cannot push by digest: the digest
      // is known only once it pushed), so a signed rebase gives it a staging tag and moves the real
      // one itself after signing; the staging tag is dropped where the registry deletes (staging.ts).
      const output = signer ? stagedOutput(plan.output) : plan.output;
      const digest = await log.group(`Rebasing ${formatPlatform(plan.platform)} onto ${plan.runImage}`, () =>
        runRebaser(
          { ...plan, output },
          {
            host,
            builder,
            platformApi,
            caCerts: req.caCerts,
            insecureRegistries: req.insecureRegistries,
            logLevel: req.logLevel,
            env: rebaserEnv,
            onLine: (line) => log.output(line),
          },
        ),
      );
      log.info(`${formatPlatform(plan.platform)}: ${output}@${digest}`);
      digests.set(plan, digest);
    }
    if (signer) {
      const staged: StagedImage[] = todo.map((p) => ({
        tag: p.output,
        digest: digests.get(p) as string,
        previousDigest: p.previousDigest,
      }));
      await signThenTag(staged, {
        sign: (image) => signer.sign(target.repository, target.registry, image.digest, false),
        tag: (image) =>
          log.group(`Tagging ${image.tag}`, () => copyToTag(targetClient, target.repository, image)),
      });
    }
  } finally {
    // Also when a signature failed: where deletes work, no tag is left naming an unsigned image.
    if (signer)
      for (const plan of todo.filter((p) => digests.has(p))) {
        const shown = stagedOutput(plan.output);
        const digest = digests.get(plan) as string;
        if (deletes?.supported)
          await dropStagingTag(
            targetClient,
            target.repository,
            { tag: parseImageRef(shown).tag as string, digest, shown },
            log,
          );
        else
          log.info(
            `the staging tag ${shown} stays, naming ${digest} (the registry does not delete manifests: ${deletes?.why})`,
          );
      }
  }
  if (single) return report(digests);

  const index = await createIndex(
    shown,
    plans.map((p) => ({
      ref: { ...target, tag: undefined, digest: digests.get(p) ?? p.previousDigest },
      expected: p.platform,
    })),
    {
      clientFor: access.clientFor,
      log,
      ...(signer
        ? {
            beforeTag: (digest: string) =>
              signOrExplain(
                () => signer.sign(target.repository, target.registry, digest, false),
                shown,
                indexDigest,
              ),
          }
        : {}),
    },
  );
  return report(digests, index.digest);
}

/** Pure: the rebaser's output when signing: the plan's tag, staged. */
function stagedOutput(output: string): string {
  const ref = parseImageRef(output);
  return formatImageRef({ ...ref, tag: stagingTag(ref.tag as string) });
}

/** Moves a tag to an image already in the repository (its manifest's bytes, so the digest stays). */
async function copyToTag(client: RegistryClient, repository: string, image: StagedImage): Promise<void> {
  const manifest = await client.getManifest(repository, image.digest);
  if (!manifest) throw new MlBuildpacksError(rebaseMessages.imageNotFound(`${image.tag}@${image.digest}`));
  await client.putManifest(
    repository,
    parseImageRef(image.tag).tag as string,
    manifest.raw,
    manifest.mediaType,
  );
}

/**
 * The rebase's signer: cosign on this machine or in this builder, else the builder image's through
 * Docker (one of this machine's platform when there is one, so it runs without emulation).
 */
function openRebaseSigner(
  sign: SignOptions,
  req: RebaseRequest,
  builders: readonly { builder: BuilderInfo }[],
  access: RegistryAccess,
  deps: RebaseDeps,
  env: NodeJS.ProcessEnv,
): Promise<Signer> {
  const native = builders.find((b) => b.builder.platform === hostPlatform()) ?? builders[0];
  return openSignerWith(sign, req, native?.builder, access, deps, env);
}
