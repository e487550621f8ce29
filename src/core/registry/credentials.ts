import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { MlBuildpacksError } from "../errors.js";
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

// The config's errors are built here rather than in messages.ts: they are about this one file's format.
function badDockerConfig(file: string, problem: string, line?: number): MlBuildpacksError {
  return new MlBuildpacksError({
    title: `the Docker config ${file} is not usable: ${problem}`,
    location: { file, ...(line !== undefined ? { line } : {}) },
    hint:
      `fix ${file} (\`docker login <registry>\` rewrites its entry), or set DOCKER_CONFIG to a directory ` +
      "whose config.json is valid, or remove the file to push and pull anonymously",
  });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** 1-based line of the first line of `text` containing `needle`. */
function lineOfText(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  return at < 0 ? undefined : text.slice(0, at).split("\n").length;
}

/** Pure: the config's JSON, checked for the shape Docker writes; the user's file is named in every error. */
function parseDockerConfig(text: string, file: string): DockerConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const position = /at position (\d+)/.exec((err as Error).message)?.[1];
    const line = position === undefined ? undefined : text.slice(0, Number(position)).split("\n").length;
    throw badDockerConfig(file, `it is not valid JSON (${(err as Error).message})`, line);
  }
  if (!isObject(value)) throw badDockerConfig(file, "it is not a JSON object");
  const { auths, credHelpers, credsStore } = value;
  if (credsStore !== undefined && typeof credsStore !== "string")
    throw badDockerConfig(file, '"credsStore" is not a string', lineOfText(text, '"credsStore"'));
  for (const [key, map] of [
    ["auths", auths],
    ["credHelpers", credHelpers],
  ] as const) {
    if (map !== undefined && !isObject(map))
      throw badDockerConfig(file, `"${key}" is not an object`, lineOfText(text, `"${key}"`));
  }
  for (const [host, name] of Object.entries(credHelpers ?? {}))
    if (typeof name !== "string")
      throw badDockerConfig(file, `credHelpers["${host}"] is not a string`, lineOfText(text, `"${host}"`));
  for (const [host, entry] of Object.entries(auths ?? {})) {
    const where = lineOfText(text, JSON.stringify(host));
    if (!isObject(entry)) throw badDockerConfig(file, `auths["${host}"] is not an object`, where);
    for (const field of ["auth", "username", "password", "identitytoken"])
      if (entry[field] !== undefined && typeof entry[field] !== "string")
        throw badDockerConfig(file, `auths["${host}"].${field} is not a string`, where);
    const auth = entry.auth as string | undefined;
    if (auth && !Buffer.from(auth, "base64").toString("utf8").includes(":"))
      throw badDockerConfig(file, `auths["${host}"].auth is not base64 of "user:password"`, where);
  }
  return value as DockerConfig;
}

/** Pure: docker config.json text -> CNB_REGISTRY_AUTH map from its `auths` (no helpers), for the registries a build talks to. */
export function authFromDockerConfig(
  configText: string,
  registries: readonly string[],
  file = "config.json",
): RegistryAuthMap {
  const config = parseDockerConfig(configText, file);
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
    const parsed = parseAuthVariable(env.CNB_REGISTRY_AUTH);
    return Object.fromEntries(
      Object.entries(parsed)
        .map(([host, value]) => [registryHost(host), value] as const)
        .filter(([host]) => registries.includes(host)),
    );
  }
  const configDir = env.DOCKER_CONFIG ?? join(homedir(), ".docker");
  const file = join(configDir, "config.json");
  let text: string;
  try {
    text = readFile(file);
  } catch {
    return {};
  }
  const config = parseDockerConfig(text, file);
  const fromFile = authFromDockerConfig(text, registries, file);
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

/** CNB_REGISTRY_AUTH: a JSON object of registry -> auth header value. Its value is never shown (it holds secrets). */
function parseAuthVariable(value: string): RegistryAuthMap {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (!isObject(parsed) || !Object.values(parsed).every((v) => typeof v === "string"))
    throw new MlBuildpacksError({
      title: "CNB_REGISTRY_AUTH is not a JSON object of registry -> credentials",
      hint:
        'set CNB_REGISTRY_AUTH to e.g. {"ghcr.io": "Basic <base64 of user:token>"}, or unset it so the ' +
        "Docker config (docker login) is used",
      exitCode: 2,
    });
  return parsed as RegistryAuthMap;
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
