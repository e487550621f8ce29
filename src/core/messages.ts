/**
 * Every user-facing text of the core, in one place: what happened, and what to do.
 * Each entry returns the options of an MlBuildpacksError.
 */
import type { FileLocation } from "./errors.js";

type ErrorOpts = {
  title: string;
  detail?: string;
  hint?: string;
  location?: FileLocation;
  exitCode?: number;
};

export const messages = {
  invalidImageRef: (input: string, why: string): ErrorOpts => ({
    title: `"${input}" is not a valid image reference: ${why}`,
    hint: "use the form registry/repository[:tag], e.g. ghcr.io/team/app:1.0",
    exitCode: 2,
  }),

  previousImageElsewhere: (previous: string, image: string): ErrorOpts => ({
    title: `the previous image ${previous} is not in the registry of ${image}`,
    hint: "the lifecycle reuses layers only within one registry: name an image of the same registry, or leave --previous-image out",
    exitCode: 2,
  }),

  appDirNotFound: (dir: string): ErrorOpts => ({
    title: `the app directory ${dir} does not exist or is not a directory`,
    hint: "pass the path of your project (the folder with requirements.txt, app.py, ...)",
    exitCode: 2,
  }),

  invalidEnvVar: (entry: string): ErrorOpts => ({
    title: `build env "${entry}" is not of the form KEY=VALUE`,
    hint: "write one variable per entry, e.g. --env PIP_INDEX_URL=https://pypi.example/simple",
    exitCode: 2,
  }),

  badMemoryLimit: (option: string, value: string): ErrorOpts => ({
    title: `${option} "${value}" is not a memory size`,
    hint: `give a number of bytes with an optional unit b, k, m or g, at least 6m (Docker's minimum), e.g. ${option} 2g`,
    exitCode: 2,
  }),

  reservedEnvVar: (name: string): ErrorOpts => ({
    title: `build env ${name} is reserved for the lifecycle and cannot be set`,
    hint: "remove it; CNB_* variables are set by ml-buildpacks itself",
    exitCode: 2,
  }),

  fileNotFound: (file: string, what: string): ErrorOpts => ({
    title: `${what} ${file} was not found`,
    hint: "check the path",
    exitCode: 2,
  }),

  tomlSyntax: (location: FileLocation, reason: string): ErrorOpts => ({
    title: `${location.file} is not valid TOML`,
    detail: reason,
    location,
    hint: "fix the syntax at the line shown",
    exitCode: 2,
  }),

  builderConfigInvalid: (location: FileLocation, problem: string, hint: string): ErrorOpts => ({
    title: `${location.file}: ${problem}`,
    location,
    hint,
    exitCode: 2,
  }),

  buildpackNotBuilt: (dir: string): ErrorOpts => ({
    title: `buildpack ${dir} has no bin/main.mjs bundle`,
    hint: "run `npm run build` first (it bundles the CLI and every buildpack)",
    exitCode: 2,
  }),

  lifecycleNotFound: (dir: string): ErrorOpts => ({
    title: `no lifecycle binaries in ${dir}`,
    detail: "expected lifecycle and launcher executables there",
    hint: "builder create: pass --lifecycle-dir with the lifecycle and launcher of the builder's platform (a release of github.com/buildpacks/lifecycle); --executor local: run the job in an ml-buildpacks builder image, which has /cnb/lifecycle",
    exitCode: 2,
  }),

  unknownLifecycleVersion: (version: string, known: string[]): ErrorOpts => ({
    title: `lifecycle version ${version} is not one ml-buildpacks knows the APIs of`,
    detail: `known versions: ${known.join(", ")}`,
    hint: "use a known lifecycle version, or add its API ranges to src/core/lifecycle/versions.ts",
    exitCode: 2,
  }),

  dockerUnavailable: (detail: string): ErrorOpts => ({
    title: "cannot talk to the Docker engine",
    detail,
    hint: "start Docker or point DOCKER_HOST at a running engine; in a CI job without Docker (GitLab, Tekton) run in the builder image with --executor local",
  }),

  dockerFailed: (what: string, output: string): ErrorOpts => ({
    title: `docker could not ${what}`,
    detail: output.trim().split("\n").slice(-15).join("\n"),
    hint: "read docker's message above",
  }),

  imageNotFound: (ref: string, output: string): ErrorOpts => ({
    title: `image ${ref} could not be found locally or pulled`,
    detail: output.trim().split("\n").slice(-5).join("\n"),
    hint: "check the reference (the default builder is <namespace>/builder:<flavor>-<version>; ML_BUILDPACKS_NAMESPACE names a mirror), that its registry is reachable from here, and `docker login` for a private one",
  }),

  cliBundleNotFound: (dir: string, file: string): ErrorOpts => ({
    title: `the bundled CLI is incomplete: no ${file} in ${dir}`,
    detail:
      "builder create copies the CLI into the builder so CI jobs can run `ml-buildpacks build` inside it",
    hint: "run `npm run build` (bundles dist/cli) and try again",
    exitCode: 2,
  }),

  notABuilder: (ref: string, missing: string): ErrorOpts => ({
    title: `${ref} is not a CNB builder image: ${missing}`,
    hint: "pass a builder made by `ml-buildpacks builder create` (or any pack-compatible builder) with --builder",
    exitCode: 2,
  }),

  noCommonPlatformApi: (ref: string, builderApis: string[], ours: string[]): ErrorOpts => ({
    title: `the lifecycle in ${ref} supports no Platform API that ml-buildpacks speaks`,
    detail: `builder: ${builderApis.join(", ") || "none listed"}; ml-buildpacks: ${ours.join(", ")}`,
    hint: "rebuild the builder with a lifecycle of version 0.17 or newer",
    exitCode: 2,
  }),

  registryUnreachable: (registry: string, action: string, reason: string): ErrorOpts => ({
    title: `cannot reach the registry ${registry} to ${action}`,
    detail: reason,
    hint: "check the image name, that the registry is up and reachable from here (a proxy: HTTPS_PROXY/NO_PROXY; a private CA: --ca-certs / ca-certs), and plain-HTTP registries are named with --insecure-registry; nothing was built or pushed",
  }),

  registryLost: (registry: string, action: string, attempts: number, reason: string): ErrorOpts => ({
    title: `the registry ${registry} stopped answering while we tried to ${action} (${attempts} attempts)`,
    detail: reason,
    hint: "nothing was tagged by this step: every tag still names what it named before. Check that the registry is up and reachable from here (its disk, a proxy in between), then run again: the blobs it already received are reused",
  }),

  registryAuthFailed: (registry: string, status: number, action: string, anonymous: boolean): ErrorOpts => ({
    title: anonymous
      ? `the registry ${registry} refused to let us ${action} without credentials (HTTP ${status})`
      : `the registry ${registry} refused our credentials to ${action} (HTTP ${status})`,
    hint: anonymous
      ? `no credentials for ${registry} were found (CNB_REGISTRY_AUTH, the Docker config's credHelpers, credsStore or auths): log in to ${registry} (docker login ${registry}, docker/login-action) with an account that may ${action}`
      : `check that your login to ${registry} is current (docker login ${registry}, or CNB_REGISTRY_AUTH) and that its account or token may ${action}: a token needs the scopes for it (e.g. GHCR: read:packages to pull, write:packages to push, delete:packages to delete)`,
  }),

  registryTokenRefused: (
    registry: string,
    tokenServer: string,
    status: number,
    action: string,
    anonymous: boolean,
    answer: string,
  ): ErrorOpts => ({
    title: `the token service ${tokenServer} of ${registry} gave us no token to ${action}${status ? ` (HTTP ${status})` : ""}`,
    detail: answer || undefined,
    hint: anonymous
      ? `the registry wants credentials for this: log in to ${registry} (docker login ${registry}, docker/login-action, or CNB_REGISTRY_AUTH)`
      : `check that your login to ${registry} is current (password or token not expired or revoked) and that it may ${action} (token scopes, repository permissions)`,
  }),

  insecureNeedsPlatformApi: (builder: string, platformApi: string): ErrorOpts => ({
    title: `the lifecycle of ${builder} speaks Platform API ${platformApi}, which has no plain-HTTP registries (--insecure-registry)`,
    hint: "use a builder with lifecycle 0.17 or newer (Platform API 0.13+), or serve the registry over HTTPS (with --ca-certs for a private CA)",
    exitCode: 2,
  }),

  badProxy: (variable: string, problem: string): ErrorOpts => ({
    title: `the proxy in ${variable} cannot be used: ${problem}`,
    hint: `set ${variable} to an http proxy URL such as http://proxy.example:3128, or unset it`,
    exitCode: 2,
  }),

  caCertsUnreadable: (file: string, problem: string): ErrorOpts => ({
    title: `the CA bundle ${file} cannot be used: ${problem}`,
    hint: "name a PEM file of CA certificates in --ca-certs / the ca-certs input / ML_BUILDPACKS_CA_CERTS, or leave it out to trust the system's CAs only",
    exitCode: 2,
  }),

  blobDigestMismatch: (digest: string, size: number, got: string, gotSize: number): ErrorOpts => ({
    title: `the blob ${digest} read from the source registry is not what its manifest says`,
    detail: `expected ${size} bytes with ${digest}, read ${gotSize} bytes with ${got}`,
    hint: "the source image is damaged or was changed while being copied: push it again, then retry; nothing was committed under the target",
  }),

  registryRequestFailed: (registry: string, what: string, status: number, body: string): ErrorOpts => ({
    title: `the registry ${registry} refused to ${what} (HTTP ${status})`,
    detail: body,
    hint: "read the registry's answer above; check the reference and your permissions",
  }),

  indexNeedsTag: (image: string): ErrorOpts => ({
    title: `the manifest list ${image} needs a tag, not a digest`,
    hint: "name it like registry/repository:1.0 (its digest is printed when it is pushed)",
    exitCode: 2,
  }),

  invalidNamespace: (value: string, why: string): ErrorOpts => ({
    title: `"${value}" is not a registry namespace for ml-buildpacks' images: ${why}`,
    hint: "set ML_BUILDPACKS_NAMESPACE (or builder create's --namespace) to registry[:port]/path, without scheme or tag, e.g. ghcr.io/my-org/ml-buildpacks for a mirror; unset it for the published images",
    exitCode: 2,
  }),

  badChildSpec: (spec: string): ErrorOpts => ({
    title: `--from ${spec} is not of the form [OS/ARCH=]REF (a tag or @sha256:DIGEST)`,
    hint: "e.g. --from linux/arm64=ghcr.io/team/app@sha256:...",
    exitCode: 2,
  }),

  tagNeedsTag: (ref: string): ErrorOpts => ({
    title: `--tag ${ref} is a digest, not a tag`,
    hint: "name the new tag like registry/repository:1.0",
    exitCode: 2,
  }),

  tagSourceMissing: (ref: string): ErrorOpts => ({
    title: `the image ${ref} does not exist in its registry`,
    hint: "check the reference given to --image; no tag was written",
  }),

  tagIndexElsewhere: (ref: string, tag: string): ErrorOpts => ({
    title: `${ref} is a manifest list: it can only be tagged in its own repository, not as ${tag}`,
    hint: "use manifest create --image with its children (--from) to make an index in another repository",
    exitCode: 2,
  }),

  childMissing: (ref: string): ErrorOpts => ({
    title: `the image ${ref} does not exist in its registry`,
    hint: "check the digest; nothing was pushed under the manifest list's tag",
  }),

  childIsIndex: (ref: string): ErrorOpts => ({
    title: `${ref} is itself a manifest list; a manifest list can only hold single-platform images`,
    hint: "pass the per-arch image digests",
    exitCode: 2,
  }),

  childPlatformMismatch: (ref: string, expected: string, actual: string): ErrorOpts => ({
    title: `${ref} is a ${actual} image, not ${expected}`,
    hint: "pass the digest built for that platform; nothing was pushed under the manifest list's tag",
    exitCode: 2,
  }),

  duplicateChild: (what: string): ErrorOpts => ({
    title: `the manifest list would hold ${what} twice`,
    hint: "pass each platform once",
    exitCode: 2,
  }),

  noChildren: (): ErrorOpts => ({
    title: "a manifest list needs at least one --from image",
    hint: "pass --from REF@sha256:... once per platform",
    exitCode: 2,
  }),

  badPlatform: (platform: string): ErrorOpts => ({
    title: `"${platform}" is not a platform`,
    hint: "write it as OS/ARCH, e.g. linux/amd64 or linux/arm64",
    exitCode: 2,
  }),

  platformNotInIndex: (ref: string, platform: string, available: string[]): ErrorOpts => ({
    title: `${ref} has no ${platform} image`,
    detail: `it has: ${available.join(", ") || "nothing"}`,
    hint: "pick one of those platforms, or a builder that was built for yours",
    exitCode: 2,
  }),

  unsupportedPlatform: (requested: string, builder: string, builderPlatform: string): ErrorOpts => ({
    title: `the builder ${builder} is for ${builderPlatform}, but ${requested} was requested`,
    hint: "pass a builder for that platform (or a multi-arch builder index), or drop --platform",
    exitCode: 2,
  }),

  usage: (problem: string, hint: string): ErrorOpts => ({ title: problem, hint, exitCode: 2 }),
} as const;
