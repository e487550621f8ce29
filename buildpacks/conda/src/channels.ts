// Channel names -> URLs, as conda's channel_alias does it: a name is <alias>/<name>, a URL stays.
// BP_CONDA_CHANNEL_ALIAS points every named channel (and the URLs of explicit locks under the default
// alias) at a mirror: production builds behind a firewall, and the e2e tests' local channel. Channel
// URLs leave here without credentials (credentials.ts).
import type { Env } from "#libcnb";
import { authFile, type RattlerAuth, splitCredentials } from "./credentials.js";
import type { ExplicitPackage } from "./explicit.js";
import type { CondaSource } from "./source.js";

export const ALIAS_ENV = "BP_CONDA_CHANNEL_ALIAS";
export const DEFAULT_ALIAS = "https://conda.anaconda.org";
/** What an environment.yml without channels gets (as miniforge does). */
export const DEFAULT_CHANNELS = ["conda-forge"];
/** conda's "defaults": Anaconda's main channels (they have their own terms of service). */
export const DEFAULTS_URLS = ["https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r"];

export function channelAlias(env: Env): string {
  const value = env[ALIAS_ENV]?.trim();
  return (value || DEFAULT_ALIAS).replace(/\/+$/, "");
}

export function channelUrls(names: readonly string[], alias: string): string[] {
  const urls = (names.length ? names : DEFAULT_CHANNELS).flatMap((n) => {
    if (isUrl(n)) return [n.replace(/\/+$/, "")];
    if (n === "defaults") return DEFAULTS_URLS;
    return [`${alias}/${n.replace(/^\/+|\/+$/g, "")}`];
  });
  return [...new Set(urls)];
}

/** An explicit lock's URL on the default alias, moved to the configured one (a mirror). */
export function mirrorUrl(url: string, alias: string): string {
  return alias !== DEFAULT_ALIAS && url.startsWith(`${DEFAULT_ALIAS}/`)
    ? `${alias}/${url.slice(DEFAULT_ALIAS.length + 1)}`
    : url;
}

/** The conda subdir of a build target. */
export function condaSubdir(arch: string): string {
  return arch === "arm64" ? "linux-aarch64" : arch === "amd64" ? "linux-64" : `linux-${arch}`;
}

/** What the driver is given: channel and package URLs without credentials, and the credentials. */
export interface DriverChannels {
  channels: string[];
  explicit: ExplicitPackage[] | null;
  auth: Record<string, RattlerAuth>;
}

/**
 * The channels (or the explicit lock's URLs) on the configured alias, each URL's credentials moved out
 * of it (see credentials.ts). Reads `env` for the alias and for the ${VAR}s in the URLs.
 */
export function driverChannels(source: CondaSource, env: Env): DriverChannels {
  const alias = splitCredentials(channelAlias(env), env, { variable: ALIAS_ENV });
  if (source.kind === "explicit") {
    const cleaned = source.packages.map((p) =>
      splitCredentials(p.url, env, { file: source.file, line: p.line }),
    );
    const explicit = source.packages.map((p, i) => ({
      ...p,
      url: mirrorUrl(cleaned[i]?.url ?? p.url, alias.url),
    }));
    const onAlias = explicit.some((p, i) => p.url !== cleaned[i]?.url);
    return { channels: [], explicit, auth: authFile([...cleaned, ...(onAlias ? [alias] : [])]) };
  }
  const cleaned = source.channels.map((c) =>
    isUrl(c.value) ? splitCredentials(c.value, env, { file: source.file, line: c.line }) : { url: c.value },
  );
  const names = cleaned.map((c) => c.url);
  const onAlias = !names.length || names.some((n) => !isUrl(n) && n !== "defaults");
  return {
    channels: channelUrls(names, alias.url),
    explicit: null,
    auth: authFile([...cleaned, ...(onAlias ? [alias] : [])]),
  };
}

function isUrl(channel: string): boolean {
  return /^(?:https?|file):\/\//.test(channel);
}
