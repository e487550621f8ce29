import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import tls from "node:tls";

/**
 * The lab's simulated public registry (scripts/public-registry.sh, docs/lab.md): docker-registry
 * with TLS on registry.ml-buildpacks.test (127.0.0.2:443) and token auth, the reference token server
 * behind a front that adds anonymous pulls of public repositories, and an HTTP CONNECT proxy. The
 * helpers below speak to it with node's own https (not src/core/registry, whose behaviour the tests
 * judge) and read its filesystem storage for what the HTTP API cannot tell: untagged manifests
 * (GHCR keeps them as untagged versions) and loopback names in what was published.
 */

const REPO = resolve(import.meta.dirname, "../../..");
const STATE = join(REPO, ".infra", "public-registry");

export const PUBLIC_REGISTRY = {
  host: "registry.ml-buildpacks.test",
  address: "127.0.0.2",
  url: "https://registry.ml-buildpacks.test",
  /** The token endpoint the registry's Bearer challenge names. */
  realm: "https://registry.ml-buildpacks.test:5001/token/",
  service: "registry.ml-buildpacks.test",
  /** The lab CA (also in the system store and in /etc/docker/certs.d/<host>/ca.crt). */
  caPath: join(STATE, "pki", "ca.crt"),
  /** The system bundle that includes the lab CA: what the CLI's --ca-certs gets in the tests. */
  systemCaBundle: "/etc/ssl/certs/ca-certificates.crt",
  /** The published namespace on the simulated registry (the lab's stand-in for ghcr.io/ml-buildpacks/ml-buildpacks). */
  namespace: "registry.ml-buildpacks.test/ml-buildpacks/ml-buildpacks",
  /** Repository name prefix anyone may pull. */
  publicPrefix: "ml-buildpacks/",
  proxyUrl: "http://127.0.0.1:3128",
  proxyLog: join(STATE, "proxy", "tinyproxy.log"),
  /** docker-registry's filesystem storage root (rootdirectory). */
  storage: join(STATE, "data"),
} as const;

/** The maintainer pushes ml-buildpacks/*; alice pushes alice/*. Each may push only under its own name. */
export const LAB_USERS = { maintainer: "ml-buildpacks", alice: "alice" } as const;
export type LabUser = (typeof LAB_USERS)[keyof typeof LAB_USERS];

/** A lab user's password, from the file the set-up wrote (never passed in argv). */
export function labPassword(user: LabUser): string {
  return readFileSync(join(STATE, "users", `${user}.password`), "utf8").trim();
}

/** Is the simulation set up on this machine (scripts/public-registry.sh has run)? */
export function publicRegistryConfigured(): boolean {
  return (
    existsSync(PUBLIC_REGISTRY.caPath) && existsSync(join(STATE, "users", `${LAB_USERS.alice}.password`))
  );
}

export function basicAuth(user: LabUser): string {
  return `Basic ${Buffer.from(`${user}:${labPassword(user)}`).toString("base64")}`;
}

/**
 * A directory holding a Docker config.json with `user`'s credentials for the simulated registry
 * (mode 600), for DOCKER_CONFIG or the CLI. Without a user: an empty config (anonymous).
 */
export function writeDockerConfig(
  user?: LabUser,
  dir = mkdtempSync(join(tmpdir(), "lab-docker-config-")),
): string {
  const auths = user
    ? {
        [PUBLIC_REGISTRY.host]: {
          auth: Buffer.from(`${user}:${labPassword(user)}`).toString("base64"),
        },
      }
    : {};
  const file = join(dir, "config.json");
  writeFileSync(file, `${JSON.stringify({ auths }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return dir;
}

// ---- HTTP -------------------------------------------------------------------------------------

export interface LabResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface LabRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /**
   * PEM CA certificates to trust; default: the lab CA. `null`: node's bundled Mozilla roots only
   * (not NODE_EXTRA_CA_CERTS, which may name the system store that holds the lab CA).
   */
  ca?: string | null;
  /** Tunnel through an HTTP CONNECT proxy (e.g. PUBLIC_REGISTRY.proxyUrl). */
  proxy?: string;
}

/** One HTTPS request, directly or through a CONNECT proxy; rejects on TLS and network errors. */
export async function labFetch(url: string, req: LabRequest = {}): Promise<LabResponse> {
  const target = new URL(url);
  const port = Number(target.port || 443);
  const ca =
    req.ca === null ? [...tls.rootCertificates] : (req.ca ?? readFileSync(PUBLIC_REGISTRY.caPath, "utf8"));
  const socket = req.proxy ? await connectTunnel(req.proxy, target.hostname, port) : undefined;
  return new Promise((resolvePromise, reject) => {
    const r = https.request(
      {
        host: target.hostname,
        port,
        path: `${target.pathname}${target.search}`,
        method: req.method ?? "GET",
        headers: req.headers,
        ca,
        servername: target.hostname,
        agent: false,
        ...(socket
          ? { createConnection: () => tls.connect({ socket, servername: target.hostname, ca }) }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      },
    );
    r.on("error", reject);
    r.end(req.body);
  });
}

function connectTunnel(proxy: string, host: string, port: number): Promise<import("node:net").Socket> {
  const p = new URL(proxy);
  return new Promise((resolvePromise, reject) => {
    const r = http.request({
      host: p.hostname,
      port: Number(p.port || 80),
      method: "CONNECT",
      path: `${host}:${port}`,
    });
    r.on("connect", (res, socket) => {
      if (res.statusCode === 200) resolvePromise(socket);
      else {
        socket.destroy();
        reject(new Error(`proxy ${proxy} answered CONNECT ${host}:${port} with ${res.statusCode}`));
      }
    });
    r.on("error", reject);
    r.end();
  });
}

/** The claims of a registry token (not verified: the registry does that). */
export interface TokenClaims {
  sub: string;
  aud: string;
  iss: string;
  access: { type: string; name: string; actions: string[] }[];
}

export function tokenClaims(token: string): TokenClaims {
  const payload = token.split(".")[1];
  if (!payload) throw new Error("not a JWT");
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TokenClaims;
}

/** A Bearer token from the realm for `scopes` (e.g. "repository:alice/app:pull,push"), as `user` or anonymously. */
export async function labToken(scopes: string[], user?: LabUser, proxy?: string): Promise<string> {
  const q = new URLSearchParams({ service: PUBLIC_REGISTRY.service });
  for (const s of scopes) q.append("scope", s);
  const res = await labFetch(`${PUBLIC_REGISTRY.realm}?${q}`, {
    headers: user ? { Authorization: basicAuth(user) } : {},
    ...(proxy ? { proxy } : {}),
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${res.body.toString()}`);
  const json = JSON.parse(res.body.toString("utf8")) as { token?: string; access_token?: string };
  const token = json.access_token ?? json.token;
  if (!token) throw new Error("token endpoint answered without a token");
  return token;
}

export const sha256Digest = (b: Buffer): string => `sha256:${createHash("sha256").update(b).digest("hex")}`;

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

export interface PushedImage {
  digest: string;
  configDigest: string;
  statuses: number[];
}

/**
 * Pushes a one-layer image through the registry API (monolithic blob uploads, then the manifest by
 * `reference`: a tag, or its own digest for an untagged push). `statuses` lists every answer; the
 * push stops at the first one that is not a success (a refused push shows 401 or 403 there).
 */
export async function pushTestImage(
  repository: string,
  opts: {
    token: string;
    reference?: string;
    proxy?: string;
    config?: Record<string, unknown>;
    content?: string;
  },
): Promise<PushedImage> {
  const base = `${PUBLIC_REGISTRY.url}/v2/${repository}`;
  const auth = { Authorization: `Bearer ${opts.token}` };
  const via = opts.proxy ? { proxy: opts.proxy } : {};
  const statuses: number[] = [];
  const layer = Buffer.from(opts.content ?? `layer of ${repository}\n`);
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: {},
      rootfs: { type: "layers", diff_ids: [sha256Digest(layer)] },
      ...opts.config,
    }),
  );
  const result = (digest: string): PushedImage => ({ digest, configDigest: sha256Digest(config), statuses });
  for (const blob of [layer, config]) {
    const start = await labFetch(`${base}/blobs/uploads/`, { method: "POST", headers: auth, ...via });
    statuses.push(start.status);
    if (start.status !== 202) return result("");
    const location = new URL(String(start.headers.location), PUBLIC_REGISTRY.url);
    location.searchParams.set("digest", sha256Digest(blob));
    const put = await labFetch(location.toString(), {
      method: "PUT",
      headers: { ...auth, "Content-Type": "application/octet-stream", "Content-Length": String(blob.length) },
      body: blob,
      ...via,
    });
    statuses.push(put.status);
    if (put.status !== 201) return result("");
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: sha256Digest(config),
        size: config.length,
      },
      layers: [
        {
          mediaType: "application/vnd.oci.image.layer.v1.tar",
          digest: sha256Digest(layer),
          size: layer.length,
        },
      ],
    }),
  );
  const digest = sha256Digest(manifest);
  const put = await labFetch(`${base}/manifests/${opts.reference ?? digest}`, {
    method: "PUT",
    headers: { ...auth, "Content-Type": OCI_MANIFEST },
    body: manifest,
    ...via,
  });
  statuses.push(put.status);
  return result(put.status === 201 ? digest : "");
}

// ---- storage ------------------------------------------------------------------------------------
// docker-registry's filesystem layout (docker/registry/v2 under the root directory):
//   blobs/sha256/<2 hex>/<hex>/data                                  content
//   repositories/<name>/_manifests/revisions/sha256/<hex>/link       every manifest pushed to <name>
//   repositories/<name>/_manifests/tags/<tag>/current/link           the digest <tag> points at now

export interface StorageQuery {
  /** Only this repository (e.g. "alice/app"). */
  repository?: string;
  /** Only repositories whose name starts with this (e.g. "ml-buildpacks/"). */
  prefix?: string;
  /** The registry's root directory; default: the lab's. */
  storage?: string;
}

export interface StoredManifest {
  repository: string;
  digest: string;
  mediaType: string;
}

const v2 = (storage: string) => join(storage, "docker", "registry", "v2");

function readLink(file: string): string {
  return readFileSync(file, "utf8").trim();
}

/** Every repository in the storage (names may nest: alice/team/app), filtered by the query. */
export function storedRepositories(q: StorageQuery = {}): string[] {
  const root = join(v2(q.storage ?? PUBLIC_REGISTRY.storage), "repositories");
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      if (e.name === "_manifests") found.push(relative(root, dir));
      else if (!e.name.startsWith("_")) walk(join(dir, e.name));
    }
  };
  walk(root);
  return found
    .filter((r) => (q.repository ? r === q.repository : true) && (q.prefix ? r.startsWith(q.prefix) : true))
    .sort();
}

function blob(storage: string, digest: string): Buffer {
  const hex = digest.replace(/^sha256:/, "");
  return readFileSync(join(v2(storage), "blobs", "sha256", hex.slice(0, 2), hex, "data"));
}

function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

interface ManifestJson {
  mediaType?: string;
  config?: { digest?: string };
  manifests?: { digest?: string }[];
}

function revisions(storage: string, repository: string): string[] {
  const dir = join(v2(storage), "repositories", repository, "_manifests", "revisions", "sha256");
  return listDir(dir)
    .filter((hex) => existsSync(join(dir, hex, "link")))
    .map((hex) => `sha256:${hex}`);
}

function tagged(storage: string, repository: string): string[] {
  const dir = join(v2(storage), "repositories", repository, "_manifests", "tags");
  return listDir(dir)
    .map((tag) => join(dir, tag, "current", "link"))
    .filter((link) => existsSync(link))
    .map(readLink);
}

/**
 * Pure: the revisions neither tagged nor reachable from a tagged manifest through index
 * `manifests` (children of a tagged image index stay; an index's untagged children go with it).
 */
export function untaggedOf(
  revisionDigests: string[],
  taggedDigests: string[],
  childrenOf: (digest: string) => string[],
): string[] {
  const reachable = new Set<string>();
  const queue = [...taggedDigests];
  for (let d = queue.shift(); d !== undefined; d = queue.shift()) {
    if (reachable.has(d)) continue;
    reachable.add(d);
    queue.push(...childrenOf(d));
  }
  return revisionDigests.filter((d) => !reachable.has(d)).sort();
}

function parseManifest(storage: string, digest: string): ManifestJson {
  try {
    return JSON.parse(blob(storage, digest).toString("utf8")) as ManifestJson;
  } catch {
    return {};
  }
}

/** Manifests stored in a repository (or the whole registry) that no tag reaches: GHCR's "untagged versions". */
export function untaggedManifests(q: StorageQuery = {}): StoredManifest[] {
  const storage = q.storage ?? PUBLIC_REGISTRY.storage;
  const out: StoredManifest[] = [];
  for (const repository of storedRepositories(q)) {
    const children = (d: string) =>
      (parseManifest(storage, d).manifests ?? []).map((m) => m.digest).filter((x): x is string => !!x);
    for (const digest of untaggedOf(revisions(storage, repository), tagged(storage, repository), children)) {
      out.push({ repository, digest, mediaType: parseManifest(storage, digest).mediaType ?? "" });
    }
  }
  return out;
}

export interface LoopbackHit {
  repository: string;
  /** The manifest's digest, or the config blob's. */
  digest: string;
  kind: "manifest" | "config";
  match: string;
  /** Up to 60 characters either side of the match. */
  context: string;
}

/** Loopback names: 127.x.x.x, localhost, ::1 (not part of a longer IPv6 address). */
export const LOOPBACK_PATTERN =
  /\b127(?:\.\d{1,3}){3}\b|\blocalhost\b|(?<![0-9A-Fa-f:])::1(?![0-9A-Fa-f:])/gi;

/** Pure: every loopback name in a text, with its surroundings. */
export function loopbackMatches(text: string): { match: string; context: string }[] {
  return [...text.matchAll(LOOPBACK_PATTERN)].map((m) => ({
    match: m[0],
    context: text.slice(Math.max(0, (m.index ?? 0) - 60), (m.index ?? 0) + m[0].length + 60),
  }));
}

/** Scans every stored manifest and every manifest's config blob (labels, env, history) for loopback names. */
export function scanForLoopback(q: StorageQuery = {}): LoopbackHit[] {
  const storage = q.storage ?? PUBLIC_REGISTRY.storage;
  const hits: LoopbackHit[] = [];
  for (const repository of storedRepositories(q)) {
    for (const digest of revisions(storage, repository)) {
      const text = blob(storage, digest).toString("utf8");
      for (const m of loopbackMatches(text)) hits.push({ repository, digest, kind: "manifest", ...m });
      const config = parseManifest(storage, digest).config?.digest;
      if (!config) continue;
      for (const m of loopbackMatches(blob(storage, config).toString("utf8"))) {
        hits.push({ repository, digest: config, kind: "config", ...m });
      }
    }
  }
  return hits;
}

/**
 * Lab clean-up only: removes a repository from the storage (the registry refuses DELETE, as GHCR
 * does). For a test's own scratch repositories, never to hide what a build left behind.
 */
export function forgetRepository(repository: string, storage: string = PUBLIC_REGISTRY.storage): void {
  if (!repository || repository.includes("..") || repository.startsWith("/")) {
    throw new Error(`not a repository name: ${repository}`);
  }
  rmSync(join(v2(storage), "repositories", repository), { recursive: true, force: true });
}
