// Channel names -> URLs, as conda's channel_alias does it: a name is <alias>/<name>, a URL stays.
// BP_CONDA_CHANNEL_ALIAS points every named channel (and the URLs of explicit locks under the default
// alias) at a mirror: production builds behind a firewall, and the e2e tests' local channel.
import type { Env } from "#libcnb";

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
    if (/^(?:https?|file):\/\//.test(n)) return [n.replace(/\/+$/, "")];
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
