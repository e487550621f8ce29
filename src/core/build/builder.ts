// The builder a build runs in: read from the registry (or the daemon), its platform and Platform API
// checked before anything else happens.
import { type BuilderInfo, builderInfo } from "../builder/inspect.js";
import { inspectRemoteImage } from "../builder/remote.js";
import { MlBuildpacksError } from "../errors.js";
import { parseImageRef } from "../image-ref.js";
import { negotiatePlatformApi, SUPPORTED_PLATFORM_APIS } from "../lifecycle/versions.js";
import { messages } from "../messages.js";
import { hostPlatform, pinForPlatform } from "../platform.js";
import { RegistryClient } from "../registry/client.js";
import { resolveRegistryAuth } from "../registry/credentials.js";
import type { BuildRequest } from "../request.js";
import type { BuildDeps } from "./deps.js";

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

/** The newest Platform API both sides speak; refuses options the builder's lifecycle can't take. */
export function choosePlatformApi(
  req: Pick<BuildRequest, "builder" | "insecureRegistries">,
  builder: Pick<BuilderInfo, "platformApis">,
): string {
  const platformApi = negotiatePlatformApi(builder.platformApis);
  if (!platformApi)
    throw new MlBuildpacksError(
      messages.noCommonPlatformApi(req.builder, builder.platformApis, [...SUPPORTED_PLATFORM_APIS]),
    );
  // The lifecycle takes -insecure-registry from Platform API 0.13 on.
  if (req.insecureRegistries.length && platformApi === "0.12")
    throw new MlBuildpacksError(messages.insecureNeedsPlatformApi(req.builder, platformApi));
  return platformApi;
}

/** Pulls a builder that was read from the registry, once phases are going to run in it. */
export async function pullBuilder(
  builder: BuilderInfo,
  deps: Pick<BuildDeps, "docker" | "log">,
): Promise<void> {
  if (builder.inDaemon) return;
  await deps.log.group(`Pulling builder ${builder.ref}`, async () => {
    await deps.docker.ping();
    await deps.docker.ensureImage(builder.ref, { pull: "missing", platform: builder.platform });
  });
}

/** Exports to the daemon read the run image from it: pulled before any phase. */
export async function pullRunImage(
  req: Pick<BuildRequest, "runImage" | "pull">,
  builder: BuilderInfo,
  deps: Pick<BuildDeps, "docker" | "log">,
): Promise<void> {
  const runImage = req.runImage ?? builder.runImages[0];
  if (!runImage) return;
  await deps.log.group(`Pulling run image ${runImage}`, () =>
    deps.docker.ensureImage(runImage, { pull: req.pull, platform: builder.platform }),
  );
}
