import { type ParseArgsConfig, parseArgs } from "node:util";
import type { CreateBuilderRequest } from "../core/builder/create.js";
import { MlBuildpacksError } from "../core/errors.js";
import { type IndexChild, parseChildSpec } from "../core/manifest.js";
import { messages } from "../core/messages.js";
import { hostPlatform } from "../core/platform.js";
import {
  defaultBuilder,
  defaultRunImage,
  FLAVORS,
  PUBLISHED_NAMESPACE,
  publishedNamespace,
} from "../core/published.js";
import type { RebaseRequest } from "../core/rebase/index.js";
import { COMPRESSION_MODES } from "../core/recompress.js";
import {
  type BuildRequest,
  defaultCaCerts,
  parseEnvEntries,
  parseMemoryLimit,
  REQUEST_DEFAULTS,
} from "../core/request.js";
import { checkSecretsApart, parseSecretSpecs, type SecretSources } from "../core/secrets.js";
import { checkSignOptions, type SignOptions } from "../core/sign/cosign.js";
import { ML_BUILDPACKS_VERSION } from "../core/version.js";

export type Command =
  | {
      kind: "build";
      request: BuildRequest;
      reportFile: string | undefined;
      /** undefined: chosen by chooseExecutor() from what this machine has. */
      executor: ExecutorKind | undefined;
    }
  | { kind: "builder-create"; request: CreateBuilderRequest }
  | ({
      kind: "manifest-create";
      image: string;
      children: IndexChild[];
      sign?: SignOptions;
      /** Whose cosign signs when none is on this machine. */
      builder: string;
    } & RegistryAccess)
  | ({ kind: "manifest-tag"; image: string; tags: string[] } & RegistryAccess)
  | {
      kind: "rebase";
      request: RebaseRequest;
      reportFile: string | undefined;
      /** undefined: chosen by chooseExecutor(), as for build. */
      executor: ExecutorKind | undefined;
    }
  | { kind: "help"; text: string }
  | { kind: "version" };

/** How the registry client reaches registries: --ca-certs and --insecure-registry. */
export type RegistryAccess = Pick<BuildRequest, "caCerts" | "insecureRegistries">;

export const USAGE = `ml-buildpacks: Cloud Native Buildpacks for machine-learning projects

Usage:
  ml-buildpacks build APP_DIR --image REF [options]
  ml-buildpacks builder create --config builder.toml --image REF [options]
  ml-buildpacks manifest create --image REF --from [OS/ARCH=]REF@DIGEST [--from ...]
  ml-buildpacks manifest tag --image REF --tag REF [--tag ...]
  ml-buildpacks rebase --image REF [--run-image REF] [options]
  ml-buildpacks --version | --help

build options:
  --image REF            image to build and push (required), e.g. ghcr.io/team/app:1.0
  --tag REF              another tag for the same image (repeatable)
  --flavor cpu|cuda      which published builder: ${PUBLISHED_NAMESPACE}/builder:<flavor>-${ML_BUILDPACKS_VERSION}
                         (the namespace is $ML_BUILDPACKS_NAMESPACE when set: a mirror). Default: cpu
  --builder REF          any builder image; overrides --flavor
  --run-image REF        run image instead of the builder's
  --previous-image REF   image of the last build (same registry), e.g. app:main when --image is
                         app:<commit>: its layers are reused and the fast path compares against it
  --cache-dir DIR        keep the lifecycle's layer cache in DIR between builds
  --clear-cache          empty the cache dir before building
  --env KEY=VALUE        build-time env for the buildpacks (repeatable)
  --secret id=NAME,env=VAR|src=FILE
                         a build secret the buildpacks see as $NAME (e.g. PIP_INDEX_URL with a token),
                         its value from this shell's $VAR or from FILE, never from argv (repeatable;
                         id=NAME alone reads $NAME): masked in the log, kept out of the image, its labels,
                         the report, the cache and the inputs digest
  --platform OS/ARCH     platform to build for; must match the builder (default: the builder's)
  --pull POLICY          missing (default) or always: when to pull a builder found only in the
                         local daemon (a registry builder is resolved there, pulled by digest)
  --default-process T    process type the image starts by default
  --report FILE          write the JSON build report to FILE
  --sbom-output-dir DIR  after the push, write the image's SBOM (CycloneDX and SPDX, from its SBOM layer)
                         to DIR/<os>-<arch>/layers/sbom/..., as pack sbom download lays it out
  --sign-key KEY         after the push, sign the image by digest with cosign (docs/signing.md): KEY is a
                         cosign.key file or env://VAR (a variable holding its PEM text), its password from
                         $COSIGN_PASSWORD; a wrong key or password fails before anything is pushed
  --sign-offline         sign without a Rekor transparency-log entry (verify with --insecure-ignore-tlog)
  --log-level LEVEL      info (default) or debug
  --no-publish           export to the local Docker daemon instead of pushing to the registry
  --trust-builder        run every phase in one container (faster; only for builders you trust)
  --compression MODE     how the large new layers are gzipped before the export (pre-export).
                         fast (default): igzip level 3 (ISA-L, in ml-buildpacks' builders; zlib level 1
                         on every core elsewhere); small: zlib level 4 on every core, about 5% smaller,
                         several seconds slower per large new layer; also recompresses after the export
                         where pre-export could not run
  --memory SIZE          memory limit of each lifecycle container (Docker's notation, e.g. 2g; swap
                         included): page cache is reclaimed instead of growing, and a runaway build
                         stops with an out-of-memory error instead of starving the host. Default: none
  --no-fast-path         run every phase even when the image at --image was built from the same inputs
                         or only app files no buildpack reads changed (then only its app layer is replaced)
  --ca-certs FILE        CA bundle to trust in the build containers (default: $ML_BUILDPACKS_CA_CERTS,
                         else $SSL_CERT_FILE when set); the registry client trusts it too
  --insecure-registry HOST  a registry (host[:port]) spoken to over plain HTTP, by ml-buildpacks and
                         the lifecycle (repeatable; loopback registries always are)
  --executor KIND        docker: each phase in a builder container; local: run /cnb/lifecycle/* directly,
                         inside the builder image (GitLab jobs, Tekton steps), no Docker needed.
                         Default: local when /cnb/lifecycle/lifecycle exists and no Docker socket is
                         reachable, else docker

builder create options:
  --config FILE          builder.toml (pack's format: [stack] or [build]/[[run.images]], [[buildpacks]], [[order]])
  --image REF            builder image to create
  --platform OS/ARCH     platform of the builder (default: this machine's); picks that child of a
                         multi-arch build image
  --lifecycle-dir DIR    lifecycle and launcher binaries for that platform (default .infra/lifecycle/OS-ARCH);
                         a cosign binary there goes to /cnb/ml-buildpacks/cosign (scripts/cosign.sh)
  --no-publish           build the image locally without pushing it
  --namespace NS         fills \${namespace} in a builder.toml template: where the builder's build and
                         run images are published (default: $ML_BUILDPACKS_NAMESPACE, else
                         ghcr.io/ml-buildpacks/ml-buildpacks)
  --version V            fills \${version} (and \${line}, its major.minor) in the template (default: this
                         ml-buildpacks' version)
  --ca-certs FILE        CA bundle to trust when reading the build image from its registry (default as
                         for build); Docker, which pulls it and pushes the builder, uses its own settings
  --insecure-registry HOST  a registry (host[:port]) read over plain HTTP (repeatable)

manifest create options:
  --image REF            tag of the multi-arch manifest list (OCI image index) to push
  --from [OS/ARCH=]REF@DIGEST
                         a per-arch image (repeatable); with OS/ARCH its platform is checked
  --sign-key KEY         sign the index by digest with cosign before the tag names it (as for build)
  --sign-offline         as for build
  --builder REF          whose cosign signs when none is at hand (default: the cpu builder, as for build)
  --ca-certs FILE        CA bundle to trust (default as for build)
  --insecure-registry HOST  a registry (host[:port]) spoken to over plain HTTP (repeatable)

manifest tag options:
  --image REF            an image or manifest list in a registry (a tag or @sha256:DIGEST)
  --tag REF              another tag for it, its manifest copied byte for byte, so the digest stays
                         (repeatable; an image's blobs are mounted or copied into another repository)
  --ca-certs FILE        CA bundle to trust (default as for build)
  --insecure-registry HOST  a registry (host[:port]) spoken to over plain HTTP (repeatable)

rebase options (swap in a patched run image without a build, every platform of a manifest list):
  --image REF            the image to rebase, by tag: a manifest list or a single-platform image;
                         each platform's rebased image is pushed as TAG-ARCH, then the list under TAG
  --run-image REF        run image to rebase onto (a manifest list, or an image of the platform);
                         default: the run image each image was built on, at its current digest
  --flavor cpu|cuda      whose builder's lifecycle runs the rebaser (default cpu), as for build
  --builder REF          that builder instead (its image for each platform); overrides --flavor
  --report FILE          write the JSON rebase report (old and new digests per platform) to FILE
  --sign-key KEY         sign every new image and the new list by digest with cosign before a tag names
                         them (as for build; docs/signing.md): if signing fails, the tags still name the
                         old images
  --sign-offline         as for build
  --log-level LEVEL      info (default) or debug
  --ca-certs FILE        CA bundle to trust (default as for build)
  --insecure-registry HOST  a registry (host[:port]) spoken to over plain HTTP (repeatable)
  --executor KIND        docker: the rebaser runs in each platform's builder container; local: this
                         builder image's own rebaser rebases every platform (Tekton steps, GitLab jobs).
                         Default as for build
`;

export type ExecutorKind = "docker" | "local";

/**
 * --executor default: local when this process runs inside a builder image (its lifecycle is at
 * /cnb/lifecycle/lifecycle) and no Docker socket is reachable (a GitLab job or Tekton step); else docker.
 */
export function chooseExecutor(
  flag: ExecutorKind | undefined,
  probe: { insideBuilder: boolean; dockerReachable: boolean },
): ExecutorKind {
  if (flag) return flag;
  return probe.insideBuilder && !probe.dockerReachable ? "local" : "docker";
}

const usageError = (problem: string) =>
  new MlBuildpacksError(messages.usage(problem, "run `ml-buildpacks --help`"));

function parse(args: string[], options: NonNullable<ParseArgsConfig["options"]>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError((err as Error).message.split("\n")[0] ?? String(err));
  }
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw usageError(`--${name} must be one of ${allowed.join(", ")}, not "${value}"`);
  return value as T;
}

/** Pure: argv (without node and script) -> a command. */
export function parseCommand(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  isFile: (path: string) => boolean = () => false,
  /** Reads --secret src= files; undefined when unreadable. */
  readFile: SecretSources["readFile"] = () => undefined,
): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help")
    return { kind: "help", text: USAGE };
  if (first === "--version" || first === "-v") return { kind: "version" };
  if (first === "build") return parseBuild(rest, env, isFile, readFile);
  if (first === "builder") {
    const [sub, ...subRest] = rest;
    if (sub === "create") return parseBuilderCreate(subRest, env, isFile);
    throw usageError(`unknown builder subcommand "${sub ?? ""}" (known: create)`);
  }
  if (first === "manifest") {
    const [sub, ...subRest] = rest;
    if (sub === "create") return parseManifestCreate(subRest, env, isFile);
    if (sub === "tag") return parseManifestTag(subRest, env, isFile);
    throw usageError(`unknown manifest subcommand "${sub ?? ""}" (known: create, tag)`);
  }
  if (first === "rebase") return parseRebase(rest, env, isFile);
  throw usageError(
    `unknown command "${first}" (known: build, builder create, manifest create, manifest tag, rebase)`,
  );
}

/** The build command's options: the one list the parser, `--help` and docs/cli.md are checked against. */
export const BUILD_OPTIONS = {
  image: { type: "string" },
  tag: { type: "string", multiple: true },
  builder: { type: "string" },
  flavor: { type: "string" },
  "run-image": { type: "string" },
  "previous-image": { type: "string" },
  "cache-dir": { type: "string" },
  "clear-cache": { type: "boolean" },
  env: { type: "string", multiple: true },
  secret: { type: "string", multiple: true },
  platform: { type: "string" },
  pull: { type: "string" },
  "default-process": { type: "string" },
  report: { type: "string" },
  "sbom-output-dir": { type: "string" },
  "sign-key": { type: "string" },
  "sign-offline": { type: "boolean" },
  "log-level": { type: "string" },
  "ca-certs": { type: "string" },
  "insecure-registry": { type: "string", multiple: true },
  "no-publish": { type: "boolean" },
  "trust-builder": { type: "boolean" },
  "no-fast-path": { type: "boolean" },
  compression: { type: "string" },
  memory: { type: "string" },
  executor: { type: "string" },
} as const;

function parseBuild(
  args: string[],
  env: NodeJS.ProcessEnv,
  isFile: (path: string) => boolean,
  readFile: SecretSources["readFile"],
): Command {
  const { values: v, positionals } = parse(args, { ...BUILD_OPTIONS, help: { type: "boolean" } });
  if (v.help) return { kind: "help", text: USAGE };
  if (positionals.length !== 1) throw usageError("build takes exactly one APP_DIR");
  const executorFlag = v.executor as string | undefined;
  const executor =
    executorFlag === undefined
      ? undefined
      : oneOf<ExecutorKind>("executor", executorFlag, ["docker", "local"], "docker");
  if (executor === "local" && v["no-publish"] === true)
    throw usageError("--no-publish needs the docker executor (the local executor pushes to a registry)");
  const str = (name: string) => v[name] as string | undefined;
  if (str("sbom-output-dir") !== undefined && v["no-publish"] === true)
    throw usageError(
      "--sbom-output-dir reads the SBOM of the pushed image: drop --no-publish, or drop --sbom-output-dir",
    );
  if (str("sign-key") !== undefined && v["no-publish"] === true)
    throw usageError("--sign-key signs the pushed image: drop --no-publish, or drop --sign-key");
  const image = str("image");
  if (!image) throw usageError("--image is required");
  const flavor = oneOf("flavor", str("flavor"), FLAVORS, "cpu");
  const buildEnv = parseEnvEntries((v.env as string[] | undefined) ?? []);
  const secrets = parseSecretSpecs((v.secret as string[] | undefined) ?? [], { env, readFile });
  checkSecretsApart(buildEnv, secrets);
  return {
    kind: "build",
    reportFile: str("report"),
    executor,
    request: {
      appDir: positionals[0] as string,
      image,
      additionalTags: (v.tag as string[] | undefined) ?? [],
      builder: str("builder") ?? defaultBuilder(env, flavor),
      // A mirror's builder names the published run image: the default builder gets the mirror's.
      runImage: str("run-image") ?? (str("builder") ? undefined : defaultRunImage(env, flavor)),
      previousImage: str("previous-image"),
      cacheDir: str("cache-dir"),
      clearCache: v["clear-cache"] === true,
      env: buildEnv,
      secrets,
      platform: str("platform"),
      pull: oneOf("pull", str("pull"), ["missing", "always"], REQUEST_DEFAULTS.pull),
      defaultProcess: str("default-process"),
      logLevel: oneOf("log-level", str("log-level"), ["info", "debug"], REQUEST_DEFAULTS.logLevel),
      caCerts: str("ca-certs") ?? defaultCaCerts(env, isFile),
      insecureRegistries: (v["insecure-registry"] as string[] | undefined) ?? [],
      publish: v["no-publish"] !== true,
      ...(str("sbom-output-dir") ? { sbomOutputDir: str("sbom-output-dir") } : {}),
      ...signOptions(v, env, isFile),
      trustBuilder: v["trust-builder"] === true,
      fastPath: v["no-fast-path"] !== true,
      compression: oneOf("compression", str("compression"), COMPRESSION_MODES, REQUEST_DEFAULTS.compression),
      memoryLimit: parseMemoryLimit("--memory", str("memory")),
    },
  };
}

/** --sign-key and --sign-offline -> the request's sign options, checked against env and files now. */
function signOptions(
  v: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  isFile: (path: string) => boolean,
): { sign?: SignOptions } {
  const key = v["sign-key"] as string | undefined;
  if (key === undefined) {
    if (v["sign-offline"] === true) throw usageError("--sign-offline needs --sign-key");
    return {};
  }
  const sign = { key, offline: v["sign-offline"] === true };
  checkSignOptions(sign, env, isFile);
  return { sign };
}

/** --ca-certs and --insecure-registry, for the commands that talk to registries. */
const REGISTRY_OPTIONS = {
  "ca-certs": { type: "string" },
  "insecure-registry": { type: "string", multiple: true },
} as const;

function registryAccess(
  v: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  isFile: (path: string) => boolean,
): RegistryAccess {
  return {
    caCerts: (v["ca-certs"] as string | undefined) ?? defaultCaCerts(env, isFile),
    insecureRegistries: (v["insecure-registry"] as string[] | undefined) ?? [],
  };
}

function parseBuilderCreate(
  args: string[],
  env: NodeJS.ProcessEnv,
  isFile: (path: string) => boolean,
): Command {
  const { values: v, positionals } = parse(args, {
    ...REGISTRY_OPTIONS,
    config: { type: "string" },
    image: { type: "string" },
    "lifecycle-dir": { type: "string" },
    "no-publish": { type: "boolean" },
    platform: { type: "string" },
    namespace: { type: "string" },
    version: { type: "string" },
    help: { type: "boolean" },
  });
  if (v.help) return { kind: "help", text: USAGE };
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`);
  const config = v.config as string | undefined;
  const image = v.image as string | undefined;
  if (!config) throw usageError("--config is required");
  if (!image) throw usageError("--image is required");
  const platform = (v.platform as string | undefined) ?? hostPlatform();
  return {
    kind: "builder-create",
    request: {
      configFile: config,
      image,
      lifecycleDir:
        (v["lifecycle-dir"] as string | undefined) ?? `.infra/lifecycle/${platform.replace("/", "-")}`,
      publish: v["no-publish"] !== true,
      platform,
      names: {
        namespace: publishedNamespace({
          ML_BUILDPACKS_NAMESPACE: (v.namespace as string | undefined) ?? env.ML_BUILDPACKS_NAMESPACE,
        }),
        version: (v.version as string | undefined) ?? ML_BUILDPACKS_VERSION,
        arch: platform.split("/")[1],
      },
      ...registryAccess(v, env, isFile),
    },
  };
}

/**
 * The manifest commands' shared shape: --image, one repeatable option that must be given at least
 * once, and the registry options. Undefined for --help.
 */
function parseManifestArgs(
  args: string[],
  repeated: "from" | "tag",
  missing: string,
  more: NonNullable<ParseArgsConfig["options"]> = {},
): { image: string; values: string[]; v: Record<string, unknown> } | undefined {
  const { values: v, positionals } = parse(args, {
    ...REGISTRY_OPTIONS,
    ...more,
    image: { type: "string" },
    [repeated]: { type: "string", multiple: true },
    help: { type: "boolean" },
  });
  if (v.help) return undefined;
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`);
  const image = v.image as string | undefined;
  if (!image) throw usageError("--image is required");
  const values = (v[repeated] as string[] | undefined) ?? [];
  if (values.length === 0) throw usageError(missing);
  return { image, values, v };
}

function parseManifestCreate(
  args: string[],
  env: NodeJS.ProcessEnv,
  isFile: (path: string) => boolean,
): Command {
  const parsed = parseManifestArgs(
    args,
    "from",
    "at least one --from REF is required (a tag or REF@sha256:...)",
    { "sign-key": { type: "string" }, "sign-offline": { type: "boolean" }, builder: { type: "string" } },
  );
  if (!parsed) return { kind: "help", text: USAGE };
  return {
    kind: "manifest-create",
    image: parsed.image,
    children: parsed.values.map(parseChildSpec),
    ...signOptions(parsed.v, env, isFile),
    builder: (parsed.v.builder as string | undefined) ?? defaultBuilder(env, "cpu"),
    ...registryAccess(parsed.v, env, isFile),
  };
}

function parseManifestTag(
  args: string[],
  env: NodeJS.ProcessEnv,
  isFile: (path: string) => boolean,
): Command {
  const parsed = parseManifestArgs(args, "tag", "at least one --tag REF is required");
  if (!parsed) return { kind: "help", text: USAGE };
  return {
    kind: "manifest-tag",
    image: parsed.image,
    tags: parsed.values,
    ...registryAccess(parsed.v, env, isFile),
  };
}

function parseRebase(args: string[], env: NodeJS.ProcessEnv, isFile: (path: string) => boolean): Command {
  const { values: v, positionals } = parse(args, {
    ...REGISTRY_OPTIONS,
    image: { type: "string" },
    "run-image": { type: "string" },
    builder: { type: "string" },
    flavor: { type: "string" },
    report: { type: "string" },
    "sign-key": { type: "string" },
    "sign-offline": { type: "boolean" },
    "log-level": { type: "string" },
    executor: { type: "string" },
    help: { type: "boolean" },
  });
  if (v.help) return { kind: "help", text: USAGE };
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`);
  const str = (name: string) => v[name] as string | undefined;
  const image = str("image");
  if (!image) throw usageError("--image is required (the tag of the image to rebase)");
  const executorFlag = str("executor");
  const flavor = oneOf("flavor", str("flavor"), FLAVORS, "cpu");
  return {
    kind: "rebase",
    reportFile: str("report"),
    executor:
      executorFlag === undefined
        ? undefined
        : oneOf<ExecutorKind>("executor", executorFlag, ["docker", "local"], "docker"),
    request: {
      image,
      runImage: str("run-image"),
      builder: str("builder") ?? defaultBuilder(env, flavor),
      logLevel: oneOf("log-level", str("log-level"), ["info", "debug"], REQUEST_DEFAULTS.logLevel),
      ...registryAccess(v, env, isFile),
      ...signOptions(v, env, isFile),
    },
  };
}
