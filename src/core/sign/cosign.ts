// Pure pieces of signing with cosign: the key setting, cosign's arguments, the `docker run` that
// runs the builder's cosign, and the Docker config that gives cosign the registry credentials.
import { MlBuildpacksError } from "../errors.js";
import { isLoopbackRegistry } from "../image-ref.js";
import type { RegistryAuthMap } from "../registry/credentials.js";
import { signMessages } from "./messages.js";

/** What a build or an index push is asked to sign with (CLI --sign-key, action sign-key, ...). */
export interface SignOptions {
  /** A cosign private key file, or env://VAR: the key's PEM text in that environment variable. */
  key: string;
  /** No Rekor upload (--tlog-upload=false): verify with --insecure-ignore-tlog=true. */
  offline: boolean;
}

/** Where cosign lives inside ml-buildpacks' builders (builder/create.ts puts it there). */
export const COSIGN_IN_BUILDER = "/cnb/ml-buildpacks/cosign";
/** The env var cosign reads the key from: the key itself never appears in argv. */
export const KEY_ENV = "COSIGN_PRIVATE_KEY";
export const PASSWORD_ENV = "COSIGN_PASSWORD";
/** Where the temporary Docker config is mounted in the cosign container. */
const CONFIG_MOUNT = "/ml-buildpacks-sign";
const SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
const KEY_HEADER = /^-----BEGIN ENCRYPTED (SIGSTORE|COSIGN) PRIVATE KEY-----/m;

/**
 * Pure: checks a key setting against the environment and files before anything runs, and says where
 * the key's text is. The password must be set (cosign would otherwise prompt, and CI has no terminal).
 */
export function checkSignOptions(
  opts: SignOptions,
  env: NodeJS.ProcessEnv,
  isFile: (path: string) => boolean,
): { envName: string } | { file: string } {
  if (env[PASSWORD_ENV] === undefined) throw new MlBuildpacksError(signMessages.passwordUnset());
  const envName = /^env:\/\/(.+)$/.exec(opts.key)?.[1];
  if (envName !== undefined) {
    if (!env[envName]) throw new MlBuildpacksError(signMessages.keyEnvUnset(envName));
    return { envName };
  }
  if (/^[a-z0-9]+:\/\//i.test(opts.key)) throw new MlBuildpacksError(signMessages.keyScheme(opts.key));
  if (!isFile(opts.key)) throw new MlBuildpacksError(signMessages.keyFileMissing(opts.key));
  return { file: opts.key };
}

/** Pure: the key's PEM text, checked to look like a cosign private key (not the .pub). */
export function keyText(text: string, where: string): string {
  if (!KEY_HEADER.test(text)) throw new MlBuildpacksError(signMessages.notAKey(where));
  return text;
}

/** Pure: is this registry spoken to over plain HTTP (loopback ones always are, as for the lifecycle)? */
export function plainHttp(registry: string, insecureRegistries: readonly string[]): boolean {
  return insecureRegistries.includes(registry) || isLoopbackRegistry(registry);
}

/** Pure: `cosign sign` of one manifest by digest (REPO@sha256:...), key from $COSIGN_PRIVATE_KEY. */
export function cosignSignArgs(refByDigest: string, o: { offline: boolean; plainHttp: boolean }): string[] {
  return [
    "sign",
    "--yes",
    "--key",
    `env://${KEY_ENV}`,
    ...(o.offline ? ["--tlog-upload=false"] : []),
    ...(o.plainHttp ? ["--allow-http-registry"] : []),
    refByDigest,
  ];
}

/** Pure: opens the key with the password and prints the public key: a wrong password fails here. */
export function cosignCheckKeyArgs(): string[] {
  return ["public-key", "--key", `env://${KEY_ENV}`];
}

/**
 * Pure: runs the builder's cosign in a container as this process's uid (so it reads the 0600 Docker
 * config this process wrote); the key and password pass by env name only, values in docker's own env.
 */
export function cosignDockerArgs(o: {
  builderRef: string;
  platform: string | undefined;
  user: string;
  configDir: string | undefined;
  caCerts: string | undefined;
  args: readonly string[];
}): string[] {
  return [
    "run",
    "--rm",
    "--network",
    "host",
    ...(o.platform ? ["--platform", o.platform] : []),
    "--user",
    o.user,
    ...(o.configDir
      ? ["-v", `${o.configDir}:${CONFIG_MOUNT}:ro`, "-e", `DOCKER_CONFIG=${CONFIG_MOUNT}`]
      : []),
    ...(o.caCerts ? ["-v", `${o.caCerts}:${SYSTEM_CA_BUNDLE}:ro`] : []),
    // cosign keeps its TUF cache under $HOME; the CNB user's home may not be this uid's.
    "-e",
    "HOME=/tmp",
    "-e",
    KEY_ENV,
    "-e",
    PASSWORD_ENV,
    "--entrypoint",
    COSIGN_IN_BUILDER,
    o.builderRef,
    ...o.args,
  ];
}

/** Pure: the Docker config.json that hands cosign the credentials ml-buildpacks resolved. */
export function dockerConfigJson(auth: RegistryAuthMap): string {
  const auths: Record<string, { auth?: string; registrytoken?: string }> = {};
  for (const [registry, value] of Object.entries(auth)) {
    const [scheme, token = ""] = value.split(" ", 2);
    auths[registry] = scheme === "Bearer" ? { registrytoken: token } : { auth: token };
  }
  return `${JSON.stringify({ auths })}\n`;
}

/** Pure: the last meaningful line of cosign's stderr (its own "Error: ..." line), for messages. */
export function cosignReason(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("WARNING"));
  const error = lines.find((l) => l.startsWith("Error:"));
  return error ?? lines.at(-1) ?? "cosign failed without a message";
}
