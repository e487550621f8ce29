// Private channels. A channel URL names its credentials as ${VAR} (conda expands environment variables
// in channel URLs the same way): `https://build:${CONDA_TOKEN}@host/channel` (basic auth) or
// `https://host/t/${CONDA_TOKEN}/channel` (a conda token), VAR being a build secret. The credentials
// are taken out of the URL and handed to rattler through its authentication file (RATTLER_AUTH_FILE,
// keyed by host), so every URL rattler records (conda-meta, the repodata and package caches) and every
// URL this buildpack logs or keeps (layer metadata, SBOM) has none. A password or token written in a
// file of the app is refused: the app's files are copied into the image.
import type { Env } from "#libcnb";
import * as errors from "./errors.js";

/** rattler's Authentication, as its JSON auth file spells it. */
export type RattlerAuth = { BasicHTTP: { username: string; password: string } } | { CondaToken: string };

/** Where a URL came from: a file of the app (its line), or a build variable (its name). */
export type UrlOrigin = { file: string; line: number } | { variable: string };

export interface CleanUrl {
  url: string;
  /** The host rattler looks the credentials up by (no port), and what it sends there. */
  auth?: { host: string; auth: RattlerAuth };
}

const URL_PARTS = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*@)?([^/?#]*)(.*)$/i;
const TOKEN_PATH = /^\/t\/([^/]+)(?=\/|$)/;
const PLACEHOLDER = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** Pure: the URL with a password or /t/ token shown as ***, for messages. */
export function redactUrl(url: string): string {
  const m = URL_PARTS.exec(url);
  if (!m) return url;
  const [, scheme = "", userinfo = "", host = "", rest = ""] = m;
  const colon = userinfo.indexOf(":");
  const user = colon < 0 ? userinfo : `${userinfo.slice(0, colon)}:***@`;
  return `${scheme}${user}${host}${rest.replace(TOKEN_PATH, "/t/***")}`;
}

/**
 * Pure but for reading `env`: the URL without credentials, and the credentials for rattler. A ${VAR}
 * must be set (a build secret); a literal password or token is refused in app files and accepted in a
 * build variable (which the user may have passed as a secret).
 */
export function splitCredentials(url: string, env: Env, origin: UrlOrigin): CleanUrl {
  const m = URL_PARTS.exec(url);
  if (!m) return { url };
  const [, scheme = "", userinfo = "", hostPort = "", rest = ""] = m;
  const token = TOKEN_PATH.exec(rest)?.[1];
  if (!userinfo && token === undefined) return { url };
  const value = (written: string): string => {
    const name = PLACEHOLDER.exec(written)?.[1];
    if (name === undefined) {
      if ("file" in origin) throw errors.credentialsInFile(origin.file, origin.line, redactUrl(url));
      return decode(written);
    }
    const v = env[name];
    if (v === undefined || v === "") throw errors.channelSecretMissing(name, redactUrl(url), origin);
    return v;
  };
  const clean = `${scheme}${hostPort}${token === undefined ? rest : rest.slice(token.length + 3)}`;
  const host = hostOf(clean);
  if (token !== undefined) return { url: clean, auth: { host, auth: { CondaToken: value(token) } } };
  const info = userinfo.slice(0, -1);
  const colon = info.indexOf(":");
  // A user name alone is no secret: it may be literal, or a ${VAR} like the password.
  const username = colon < 0 ? info : info.slice(0, colon);
  const user = PLACEHOLDER.test(username) ? value(username) : decode(username);
  const password = colon < 0 ? "" : value(info.slice(colon + 1));
  return { url: clean, auth: { host, auth: { BasicHTTP: { username: user, password } } } };
}

/** %-escapes decoded as a URL parser does; a malformed one is kept as written. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

/**
 * Pure: rattler's auth file (host -> credentials). Two different credentials for one host cannot be
 * told apart by rattler (it keys them by host), so that is an error.
 */
export function authFile(urls: readonly CleanUrl[]): Record<string, RattlerAuth> {
  const out: Record<string, RattlerAuth> = {};
  for (const { auth } of urls) {
    if (!auth) continue;
    const seen = out[auth.host];
    if (seen && JSON.stringify(seen) !== JSON.stringify(auth.auth))
      throw errors.conflictingCredentials(auth.host);
    out[auth.host] = auth.auth;
  }
  return out;
}
