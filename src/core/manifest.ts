import { MlBuildpacksError } from "./errors.js";
import { formatImageRef, type ImageRef, parseImageRef } from "./image-ref.js";
import type { Logger } from "./log.js";
import { messages } from "./messages.js";
import { type Descriptor, type Manifest, OCI_INDEX, type RegistryClient, sha256 } from "./registry/client.js";
import { copyBlobs } from "./registry/copy.js";

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface IndexChild {
  ref: ImageRef;
  /** What the caller says this child is; checked against the image's config. */
  expected: Platform | undefined;
}

export interface CreateIndexResult {
  image: string;
  digest: string;
  manifests: Descriptor[];
}

export const formatPlatform = (p: Platform) => [p.os, p.architecture, p.variant].filter(Boolean).join("/");

export function parsePlatform(text: string): Platform | undefined {
  const [os, architecture, variant, extra] = text.split("/");
  if (!os || !architecture || extra !== undefined) return undefined;
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/**
 * Pure: "linux/arm64=REF" -> its platform text, parsed platform (undefined when malformed) and REF.
 * A "=" after a ":" or "@" belongs to the reference, not to a platform prefix.
 */
export function splitPlatformPrefix(spec: string): {
  platformText: string | undefined;
  expected: Platform | undefined;
  rest: string;
} {
  const eq = spec.indexOf("=");
  const head = eq > 0 ? spec.slice(0, eq) : "";
  const platformText = head && !/[:@]/.test(head) ? head : undefined;
  const expected = platformText ? parsePlatform(platformText) : undefined;
  return { platformText, expected, rest: platformText ? spec.slice(eq + 1).trim() : spec };
}

/** Pure: "[os/arch[/variant]=]REF" -> a child; REF is a digest or a tag (pinned when it is checked). */
export function parseChildSpec(spec: string): IndexChild {
  const { platformText, expected, rest } = splitPlatformPrefix(spec);
  if (platformText && !expected) throw new MlBuildpacksError(messages.badChildSpec(spec));
  return { ref: parseImageRef(rest), expected };
}

/** Same platform, ignoring an arm64 "v8" variant that some tools set and others omit. */
export function samePlatform(a: Platform, b: Platform): boolean {
  const variant = (p: Platform) => (p.architecture === "arm64" && p.variant === "v8" ? undefined : p.variant);
  return a.os === b.os && a.architecture === b.architecture && variant(a) === variant(b);
}

/** Pure: the OCI image index bytes for these children, in the given order. */
export function renderIndex(children: { manifest: Manifest; platform: Platform }[]): Buffer {
  const index = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: children.map(({ manifest, platform }) => ({
      mediaType: manifest.mediaType,
      digest: manifest.digest,
      size: manifest.raw.length,
      platform: {
        os: platform.os,
        architecture: platform.architecture,
        ...(platform.variant ? { variant: platform.variant } : {}),
      },
    })),
  };
  return Buffer.from(JSON.stringify(index));
}

/**
 * Builds an OCI image index from per-arch images and pushes it. Every child is checked (exists, is a
 * single-platform image, has the platform asked for, appears once) before anything is written; children
 * in other repositories are copied in by digest (blob mounts within a registry); the tag is pushed last.
 */
export async function createIndex(
  image: string,
  children: IndexChild[],
  deps: {
    clientFor: (registry: string) => RegistryClient;
    log: Logger;
    /** Runs on the index pushed by digest, before the tag names it (signing: no unsigned tag). */
    beforeTag?: (digest: string) => Promise<void>;
  },
): Promise<CreateIndexResult> {
  const { clientFor, log } = deps;
  const target = parseImageRef(image);
  if (target.digest || !target.tag) throw new MlBuildpacksError(messages.indexNeedsTag(image));
  if (children.length === 0) throw new MlBuildpacksError(messages.noChildren());

  const resolved = await log.group(`Checking ${children.length} image(s)`, async () => {
    const out: { child: IndexChild; manifest: Manifest; platform: Platform }[] = [];
    for (const child of children) {
      const shown = formatImageRef(child.ref);
      const client = clientFor(child.ref.registry);
      // A tag is pinned here: the index holds exactly the digest that was checked.
      const manifest = await client.getManifest(
        child.ref.repository,
        (child.ref.digest ?? child.ref.tag) as string,
      );
      if (!manifest) throw new MlBuildpacksError(messages.childMissing(shown));
      if (manifest.body.manifests) throw new MlBuildpacksError(messages.childIsIndex(shown));
      const config = await client.getConfig<Platform>(child.ref.repository, manifest);
      if (!config) throw new MlBuildpacksError(messages.childMissing(`${shown} (its config blob)`));
      const { os, architecture, variant } = config;
      const platform: Platform = { os, architecture, ...(variant ? { variant } : {}) };
      if (child.expected && !samePlatform(child.expected, platform))
        throw new MlBuildpacksError(
          messages.childPlatformMismatch(shown, formatPlatform(child.expected), formatPlatform(platform)),
        );
      const twin = out.find(
        (o) => samePlatform(o.platform, platform) || o.manifest.digest === manifest.digest,
      );
      if (twin)
        throw new MlBuildpacksError(
          messages.duplicateChild(
            twin.manifest.digest === manifest.digest
              ? `the image ${manifest.digest}`
              : `a ${formatPlatform(platform)} image`,
          ),
        );
      log.info(`${formatPlatform(platform)}  ${shown}`);
      out.push({ child, manifest, platform });
    }
    return out;
  });

  const targetClient = clientFor(target.registry);
  await log.group(`Copying images into ${target.registry}/${target.repository}`, async () => {
    for (const { child, manifest } of resolved) {
      const sameRepo = child.ref.registry === target.registry && child.ref.repository === target.repository;
      if (sameRepo) continue;
      const { mounted, copied, present } = await copyBlobs(
        manifest,
        { ref: child.ref, client: clientFor(child.ref.registry) },
        { ref: target, client: targetClient },
      );
      await targetClient.putManifest(target.repository, manifest.digest, manifest.raw, manifest.mediaType);
      log.info(`${manifest.digest}: ${mounted} blob(s) mounted, ${copied} copied, ${present} already there`);
    }
  });

  const index = renderIndex(resolved);
  if (deps.beforeTag) {
    await targetClient.putManifest(target.repository, sha256(index), index, OCI_INDEX);
    await deps.beforeTag(sha256(index));
  }
  const digest = await log.group(`Pushing manifest list ${formatImageRef(target)}`, () =>
    targetClient.putManifest(target.repository, target.tag as string, index, OCI_INDEX),
  );
  if (digest !== sha256(index))
    log.warn(`the registry reports ${digest} for an index whose bytes hash to ${sha256(index)}`);
  return {
    image: formatImageRef(target),
    digest,
    manifests: resolved.map(({ manifest, platform }) => ({
      mediaType: manifest.mediaType,
      digest: manifest.digest,
      size: manifest.raw.length,
      platform,
    })),
  };
}
