import { MlBuildpacksError } from "./errors.js";
import { messages } from "./messages.js";

/** An image reference split the way registries see it. */
export interface ImageRef {
  /** Registry host[:port], e.g. "127.0.0.1:5000" or "index.docker.io". */
  registry: string;
  /** Repository path inside the registry, e.g. "ml-buildpacks/builder". */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

const DOCKER_HUB = "index.docker.io";
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Parses "host:port/repo:tag@sha256:..." following the distribution reference grammar (docker's defaults). */
export function parseImageRef(input: string): ImageRef {
  const invalid = (why: string) => new MlBuildpacksError(messages.invalidImageRef(input, why));
  let rest = input.trim();
  if (rest === "") throw invalid("it is empty");
  if (/\s/.test(rest)) throw invalid("it contains a space or another blank");
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(`"${digest}" is not a sha256 digest`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (tag.length > 128) throw invalid(`the tag is ${tag.length} characters long, at most 128 are allowed`);
    if (!TAG.test(tag))
      throw invalid(`"${tag}" is not a valid tag (letters, digits, _ . and -, not starting with . or -)`);
  }
  let registry = DOCKER_HUB;
  const firstSlash = rest.indexOf("/");
  const first = firstSlash >= 0 ? rest.slice(0, firstSlash) : "";
  if (first && (first.includes(".") || first.includes(":") || first === "localhost")) {
    registry = first;
    rest = rest.slice(firstSlash + 1);
  } else if (!rest.includes("/")) {
    rest = `library/${rest}`;
  }
  if (/[A-Z]/.test(rest))
    throw invalid(
      `"${rest}" has upper-case letters; repository names are lower case (tags may have capitals)`,
    );
  if (!REPOSITORY.test(rest))
    throw invalid(`"${rest}" is not a valid repository name (lowercase, digits, . _ - /)`);
  if (!tag && !digest) tag = "latest";
  return { registry, repository: rest, tag, digest };
}

/**
 * A reference a build pushes to: a digest names content that exists already, so it is refused.
 * `what` is how the user gave it ("--image", 'input "image"').
 */
export function parseTargetRef(input: string, what: string): ImageRef {
  const ref = parseImageRef(input);
  if (ref.digest)
    throw new MlBuildpacksError({
      title: `${what} ${input} is a digest, but a build pushes a new image to a tag`,
      hint: "give a tag, e.g. ghcr.io/team/app:1.0; the pushed image's digest is in the build report and outputs",
      exitCode: 2,
    });
  return ref;
}

export function formatImageRef(ref: ImageRef): string {
  const host = ref.registry === DOCKER_HUB ? "" : `${ref.registry}/`;
  const repo = ref.registry === DOCKER_HUB ? ref.repository.replace(/^library\//, "") : ref.repository;
  return `${host}${repo}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}

/**
 * The repository fully qualified, without tag or digest (index.docker.io/... on Docker Hub): the
 * subject name actions/attest-build-provenance pushes its attestation to.
 */
export function imageName(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}`;
}

/** The same repository pinned to a digest. */
export function withDigest(ref: ImageRef, digest: string): ImageRef {
  return { ...ref, tag: undefined, digest };
}

/** Registries the lifecycle (go-containerregistry) and docker talk to over plain http. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, "");
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host === "::1";
}
