/**
 * Which proxy a registry request goes through, by Go's rules (golang.org/x/net/http/httpproxy, what
 * the lifecycle's go-containerregistry follows, so our client and the phases agree):
 * - HTTPS_PROXY for https URLs, HTTP_PROXY for http URLs; upper case wins over lower case; a value
 *   without a scheme is http://. Only http:// proxies are supported (CONNECT for https targets).
 * - NO_PROXY: comma-separated; `*` turns proxies off; "example.com" matches it and its subdomains,
 *   ".example.com" or "*.example.com" subdomains only; an IP address or CIDR block matches
 *   addresses; any entry may end in ":port" to match that port only.
 * - localhost and loopback addresses are never proxied, listed or not.
 * Pure.
 */
import { BlockList, isIP } from "node:net";
import { MlBuildpacksError } from "../errors.js";
import { messages } from "../messages.js";

export interface ProxySettings {
  httpProxy: URL | undefined;
  httpsProxy: URL | undefined;
  noProxy: string;
}

const first = (env: NodeJS.ProcessEnv, ...names: string[]) =>
  names.map((n) => env[n]).find((v) => v !== undefined && v !== "");

function proxyUrl(name: string, value: string | undefined): URL | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new MlBuildpacksError(messages.badProxy(name, "not a URL"));
  }
  if (url.protocol !== "http:")
    throw new MlBuildpacksError(
      messages.badProxy(name, `${url.protocol}// proxies are not supported, only http://`),
    );
  return url;
}

export function proxySettingsFromEnv(env: NodeJS.ProcessEnv): ProxySettings {
  return {
    httpProxy: proxyUrl("HTTP_PROXY", first(env, "HTTP_PROXY", "http_proxy")),
    httpsProxy: proxyUrl("HTTPS_PROXY", first(env, "HTTPS_PROXY", "https_proxy")),
    noProxy: first(env, "NO_PROXY", "no_proxy") ?? "",
  };
}

/** The proxy for `target`, or undefined to connect directly. */
export function proxyFor(target: URL, settings: ProxySettings): URL | undefined {
  const proxy = target.protocol === "https:" ? settings.httpsProxy : settings.httpProxy;
  if (!proxy) return undefined;
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  if (isLoopback(host)) return undefined;
  return settings.noProxy.split(",").some((entry) => noProxyMatches(entry.trim().toLowerCase(), host, port))
    ? undefined
    : proxy;
}

function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1";
  return false;
}

function noProxyMatches(entry: string, host: string, port: string): boolean {
  if (entry === "") return false;
  if (entry === "*") return true;
  if (entry.includes("/")) {
    const [net = "", bits = ""] = entry.split("/");
    const family = isIP(net);
    const hostFamily = isIP(host);
    if (!family || family !== hostFamily) return false;
    const list = new BlockList();
    list.addSubnet(net, Number(bits), family === 4 ? "ipv4" : "ipv6");
    return list.check(host, family === 4 ? "ipv4" : "ipv6");
  }
  // host[:port], [v6]:port or a bare IPv6 address.
  let name = entry;
  let wantPort: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) {
    name = bracketed[1] ?? "";
    wantPort = bracketed[2];
  } else if (isIP(entry) !== 6) {
    const m = /^(.*):(\d+)$/.exec(entry);
    if (m) {
      name = m[1] ?? "";
      wantPort = m[2];
    }
  }
  if (wantPort !== undefined && wantPort !== port) return false;
  if (isIP(name)) return name === host;
  if (name.startsWith("*.")) name = name.slice(1);
  if (name.startsWith(".")) return host.endsWith(name);
  return host === name || host.endsWith(`.${name}`);
}

/** The proxy variables the host has set, for the phase containers (go-containerregistry reads the same). */
export const PROXY_VARIABLES = [
  "HTTPS_PROXY",
  "https_proxy",
  "HTTP_PROXY",
  "http_proxy",
  "NO_PROXY",
  "no_proxy",
];

/** Pure: the host's proxy variables that are set. Their values may hold proxy passwords: pass them by name only. */
export function proxyEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    PROXY_VARIABLES.flatMap((name) => {
      const value = env[name];
      return value ? [[name, value]] : [];
    }),
  );
}
