import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** What the lifecycle accepts in CNB_REGISTRY_AUTH: registry -> "Basic <b64>" | "Bearer <token>". */
export type RegistryAuthMap = Record<string, string>;

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
}

/** Normalises docker config keys ("https://index.docker.io/v1/", "127.0.0.1:5000") to registry hosts. */
function registryHost(key: string): string {
  const host = key.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  return host === "docker.io" || host === "registry-1.docker.io" ? "index.docker.io" : host;
}

/** Pure: docker config.json text -> CNB_REGISTRY_AUTH map, limited to the registries a build talks to. */
export function authFromDockerConfig(configText: string, registries: readonly string[]): RegistryAuthMap {
  const config = JSON.parse(configText) as DockerConfig;
  const result: RegistryAuthMap = {};
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    const host = registryHost(key);
    if (!registries.includes(host)) continue;
    if (entry.identitytoken) result[host] = `Bearer ${entry.identitytoken}`;
    else if (entry.auth) result[host] = `Basic ${entry.auth}`;
    else if (entry.username && entry.password)
      result[host] = `Basic ${Buffer.from(`${entry.username}:${entry.password}`).toString("base64")}`;
  }
  return result;
}

/**
 * Credentials for the given registries: CNB_REGISTRY_AUTH from the environment wins (CI systems set it),
 * else the docker config (what `docker login` and docker/login-action write). Never read from argv.
 */
export function resolveRegistryAuth(
  registries: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, "utf8"),
): RegistryAuthMap {
  if (env.CNB_REGISTRY_AUTH) {
    const parsed = JSON.parse(env.CNB_REGISTRY_AUTH) as RegistryAuthMap;
    return Object.fromEntries(
      Object.entries(parsed).filter(([host]) => registries.includes(registryHost(host))),
    );
  }
  const configDir = env.DOCKER_CONFIG ?? join(homedir(), ".docker");
  let text: string;
  try {
    text = readFile(join(configDir, "config.json"));
  } catch {
    return {};
  }
  return authFromDockerConfig(text, registries);
}

/** The secret parts of an auth map, for log masking. */
export function secretsOf(auth: RegistryAuthMap): string[] {
  return Object.values(auth).map((v) => v.replace(/^(Basic|Bearer) /, ""));
}
