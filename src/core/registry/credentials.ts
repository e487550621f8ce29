import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { IDENTITY_TOKEN_USER } from "./auth.js";

/**
 * What the lifecycle accepts in CNB_REGISTRY_AUTH, and what RegistryClient takes: registry ->
 * "Basic <b64 user:password>" | "Bearer <registry token>". An identity token (OAuth2 refresh token)
 * is the Basic pair "<token>:<identity token>", Docker's own convention for it.
 */
export type RegistryAuthMap = Record<string, string>;

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/**
 * Runs `docker-credential-<name> get` with the server URL on stdin (never in argv). `missing`: no
 * such program on PATH.
 */
export type HelperRunner = (
  program: string,
  args: readonly string[],
  stdin: string,
) => { status: number; stdout: string; stderr: string; missing?: boolean };

export const runHelper: HelperRunner = (program, args, stdin) => {
  const res = spawnSync(program, [...args], { input: stdin, encoding: "utf8", timeout: 60_000 });
  const missing = (res.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
  return {
    status: res.status ?? -1,
    stdout: res.stdout ?? "",
    stderr: res.stderr ?? res.error?.message ?? "",
    missing,
  };
};

export interface CredentialDeps {
  readFile?: (path: string) => string;
  runHelper?: HelperRunner;
  /** Told when a configured helper cannot be used (missing, failing): the registry is then tried without. */
  warn?: (message: string) => void;
}

/** Normalises docker config keys ("https://index.docker.io/v1/", "registry.example:5000") to registry hosts. */
export function registryHost(key: string): string {
  const host = key.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  return host === "docker.io" || host === "registry-1.docker.io" ? "index.docker.io" : host;
}

/** The server URL a credential helper is asked about: Docker Hub's historical key, else the host. */
export function helperServerUrl(registry: string): string {
  return registry === "index.docker.io" ? "https://index.docker.io/v1/" : registry;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** Pure: one `auths` entry as a CNB_REGISTRY_AUTH value. */
function fromAuthsEntry(entry: NonNullable<DockerConfig["auths"]>[string]): string | undefined {
  if (entry.identitytoken) return basic(IDENTITY_TOKEN_USER, entry.identitytoken);
  if (entry.auth) return `Basic ${entry.auth}`;
  if (entry.username && entry.password) return basic(entry.username, entry.password);
  return undefined;
}

/** Pure: docker config.json text -> CNB_REGISTRY_AUTH map from its `auths` (no helpers), for the registries a build talks to. */
export function authFromDockerConfig(configText: string, registries: readonly string[]): RegistryAuthMap {
  const config = JSON.parse(configText) as DockerConfig;
  const result: RegistryAuthMap = {};
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    const host = registryHost(key);
    if (!registries.includes(host)) continue;
    const value = fromAuthsEntry(entry);
    if (value) result[host] = value;
  }
  return result;
}

/**
 * Asks a credential helper; undefined when it has nothing for the server (Docker's helpers exit 1
 * with "credentials not found") or cannot run.
 */
export function fromHelper(
  name: string,
  registry: string,
  run: HelperRunner,
  warn: (message: string) => void,
): string | undefined {
  const program = `docker-credential-${name}`;
  const res = run(program, ["get"], helperServerUrl(registry));
  if (res.missing) {
    warn(
      `the Docker config names the credential helper ${program} for ${registry}, but it is not on PATH; trying ${registry} without it`,
    );
    return undefined;
  }
  if (res.status !== 0) {
    if (!/not found/i.test(res.stdout + res.stderr))
      warn(
        `${program} failed for ${registry} (exit ${res.status}): ${(res.stderr || res.stdout).trim().slice(0, 200)}`,
      );
    return undefined;
  }
  let parsed: { Username?: string; Secret?: string };
  try {
    parsed = JSON.parse(res.stdout) as typeof parsed;
  } catch {
    warn(
      `${program} answered for ${registry} with something that is not JSON; trying ${registry} without it`,
    );
    return undefined;
  }
  if (!parsed.Secret) return undefined;
  return basic(parsed.Username || IDENTITY_TOKEN_USER, parsed.Secret);
}

/**
 * Credentials for the given registries, first source that has them:
 * 1. CNB_REGISTRY_AUTH in the environment (CI systems set it; then nothing else is read);
 * 2. the Docker config ($DOCKER_CONFIG/config.json, else ~/.docker/config.json): the registry's
 *    `credHelpers` entry, else `credsStore`, else its `auths` entry (what `docker login` and
 *    docker/login-action write).
 * Helpers run here, so the lifecycle receives plain values in CNB_REGISTRY_AUTH. Never read from argv.
 */
export function resolveRegistryAuth(
  registries: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, "utf8"),
  deps: Omit<CredentialDeps, "readFile"> = {},
): RegistryAuthMap {
  if (env.CNB_REGISTRY_AUTH) {
    const parsed = JSON.parse(env.CNB_REGISTRY_AUTH) as RegistryAuthMap;
    return Object.fromEntries(
      Object.entries(parsed)
        .map(([host, value]) => [registryHost(host), value] as const)
        .filter(([host]) => registries.includes(host)),
    );
  }
  const configDir = env.DOCKER_CONFIG ?? join(homedir(), ".docker");
  let text: string;
  try {
    text = readFile(join(configDir, "config.json"));
  } catch {
    return {};
  }
  const config = JSON.parse(text) as DockerConfig;
  const fromFile = authFromDockerConfig(text, registries);
  const helpers = Object.fromEntries(
    Object.entries(config.credHelpers ?? {}).map(([key, name]) => [registryHost(key), name]),
  );
  const run = deps.runHelper ?? runHelper;
  const warn = deps.warn ?? (() => {});
  const result: RegistryAuthMap = {};
  for (const registry of new Set(registries)) {
    const helper = helpers[registry] ?? config.credsStore;
    const value = (helper ? fromHelper(helper, registry, run, warn) : undefined) ?? fromFile[registry];
    if (value) result[registry] = value;
  }
  return result;
}

/** The secret parts of an auth map, for log masking: the encoded values and the passwords in them. */
export function secretsOf(auth: RegistryAuthMap): string[] {
  const secrets = new Set<string>();
  for (const value of Object.values(auth)) {
    const encoded = value.replace(/^(Basic|Bearer) /, "");
    secrets.add(encoded);
    if (value.startsWith("Basic ")) {
      const pair = Buffer.from(encoded, "base64").toString("utf8");
      const password = pair.slice(pair.indexOf(":") + 1);
      if (pair.includes(":") && password) secrets.add(password);
    }
  }
  return [...secrets];
}
