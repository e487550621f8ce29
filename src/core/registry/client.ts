import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { MlBuildpacksError } from "../errors.js";
import { isLoopbackRegistry } from "../image-ref.js";
import { messages } from "../messages.js";
import type { RegistryAuthMap } from "./credentials.js";
import { type HttpFetch, type HttpResponse, nodeFetch, nodeStreamFetch, type StreamFetch } from "./http.js";

export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const MANIFEST_TYPES = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST];

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
}

export interface Manifest {
  mediaType: string;
  digest: string;
  /** The exact bytes the registry holds (their sha256 is the digest). */
  raw: Buffer;
  body: {
    schemaVersion?: number;
    mediaType?: string;
    config?: Descriptor;
    layers?: Descriptor[];
    manifests?: Descriptor[];
  };
}

export type Fetch = HttpFetch;

interface ClientOptions {
  auth?: RegistryAuthMap;
  fetch?: Fetch;
  streamFetch?: StreamFetch;
  /** Waits between retries of 5xx/429 answers and dropped connections, in ms. */
  backoff?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

interface RequestOptions {
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Which repositories the request touches, for token scopes: "repo:pull" / "repo:pull,push". */
  scope: string;
}

/** Compressed size of an image as stored in a registry: config plus layers (undefined for an index). */
export function manifestSize(manifest: Manifest | undefined): number | undefined {
  if (!manifest?.body.layers) return undefined;
  return (manifest.body.config?.size ?? 0) + manifest.body.layers.reduce((sum, l) => sum + l.size, 0);
}

export const sha256 = (data: Buffer | string) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

/**
 * A small OCI distribution client: manifests and blobs, Basic and Bearer-token auth, retries with
 * backoff on 5xx and 429, cross-repository blob mounts.
 */
export class RegistryClient {
  private readonly base: string;
  private readonly fetch: Fetch;
  private readonly streamFetch: StreamFetch;
  private readonly backoff: readonly number[];
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly credential: string | undefined;
  /** Bearer tokens by scope. */
  private readonly tokens = new Map<string, string>();

  constructor(
    readonly registry: string,
    opts: ClientOptions = {},
  ) {
    const scheme = isLoopbackRegistry(registry) ? "http" : "https";
    this.base = `${scheme}://${registry === "index.docker.io" ? "registry-1.docker.io" : registry}`;
    this.fetch = opts.fetch ?? nodeFetch;
    this.streamFetch = opts.streamFetch ?? nodeStreamFetch;
    this.backoff = opts.backoff ?? [500, 1500, 4000];
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.credential = opts.auth?.[registry];
  }

  /** Throws registryUnreachable when the registry does not answer at all. */
  async ping(image: string): Promise<void> {
    const res = await this.fetch(`${this.base}/v2/`, { signal: AbortSignal.timeout(10_000) }).catch(
      this.unreachable(image),
    );
    await res.body?.cancel();
  }

  /** A rejection handler: a request that got no answer becomes registryUnreachable for `what`. */
  private unreachable(what: string): (err: unknown) => never {
    return (err) => {
      throw new MlBuildpacksError(messages.registryUnreachable(this.registry, what, describeFetchError(err)));
    };
  }

  async getManifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const res = await this.request("GET", `/v2/${repository}/manifests/${reference}`, {
      scope: `${repository}:pull`,
      headers: { Accept: MANIFEST_TYPES.join(", ") },
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw await this.unexpected(res, `read manifest ${repository}@${reference}`);
    const raw = Buffer.from(await res.arrayBuffer());
    const body = JSON.parse(raw.toString("utf8")) as Manifest["body"];
    return {
      mediaType: body.mediaType ?? res.headers.get("content-type") ?? "",
      digest: res.headers.get("docker-content-digest") ?? sha256(raw),
      raw,
      body,
    };
  }

  async getBlob(repository: string, digest: string): Promise<Buffer | undefined> {
    const res = await this.request("GET", `/v2/${repository}/blobs/${digest}`, {
      scope: `${repository}:pull`,
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw await this.unexpected(res, `read blob ${repository}@${digest}`);
    return Buffer.from(await res.arrayBuffer());
  }

  /** An image's config blob (the manifest's `config`), parsed; undefined when it has none or it is gone. */
  async getConfig<T>(repository: string, manifest: Manifest): Promise<T | undefined> {
    const digest = manifest.body.config?.digest;
    const blob = digest ? await this.getBlob(repository, digest) : undefined;
    return blob ? (JSON.parse(blob.toString("utf8")) as T) : undefined;
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    const res = await this.request("HEAD", `/v2/${repository}/blobs/${digest}`, {
      scope: `${repository}:pull`,
    });
    await res.body?.cancel();
    return res.ok;
  }

  /** Cross-repository mount; returns false when the registry wants an upload instead. */
  async mountBlob(repository: string, digest: string, from: string): Promise<boolean> {
    const res = await this.request(
      "POST",
      `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`,
      { scope: `${repository}:pull,push ${from}:pull` },
    );
    await res.body?.cancel();
    return res.status === 201;
  }

  /** Monolithic upload (POST then PUT with the digest). */
  async uploadBlob(repository: string, data: Buffer): Promise<string> {
    const digest = sha256(data);
    const scope = `${repository}:pull,push`;
    const start = await this.request("POST", `/v2/${repository}/blobs/uploads/`, { scope });
    await start.body?.cancel();
    const location = start.headers.get("location");
    if (start.status !== 202 || !location)
      throw await this.unexpected(start, `start an upload to ${repository}`);
    const url = new URL(location, this.base);
    url.searchParams.set("digest", digest);
    const put = await this.request("PUT", `${url.pathname}${url.search}`, {
      scope,
      body: data,
      headers: { "Content-Type": "application/octet-stream" },
    });
    await put.body?.cancel();
    if (put.status !== 201) throw await this.unexpected(put, `upload ${digest} to ${repository}`);
    return digest;
  }

  /**
   * A blob's bytes as a stream (layers too large to hold in memory). The HEAD before it settles
   * authentication and existence; no retries once bytes flow.
   */
  async getBlobStream(repository: string, digest: string): Promise<Readable> {
    const scope = `${repository}:pull`;
    if (!(await this.blobExists(repository, digest)))
      throw await this.unexpectedStatus(404, `read blob ${repository}@${digest}`);
    const res = await this.streamFetch(`${this.base}/v2/${repository}/blobs/${digest}`, {
      headers: this.authHeader(scope),
    }).catch(this.unreachable(repository));
    if (res.status !== 200) {
      res.body.resume();
      throw await this.unexpectedStatus(res.status, `read blob ${repository}@${digest}`);
    }
    return res.body;
  }

  /**
   * Streams a blob of unknown digest into the repository (POST, one chunked PATCH, PUT with the
   * digest computed on the way); returns its digest and size. A failed request destroys `body`.
   */
  async uploadBlobStream(repository: string, body: Readable): Promise<{ digest: string; size: number }> {
    const scope = `${repository}:pull,push`;
    const start = await this.request("POST", `/v2/${repository}/blobs/uploads/`, { scope });
    await start.body?.cancel();
    const location = start.headers.get("location");
    if (start.status !== 202 || !location) {
      body.destroy();
      throw await this.unexpected(start, `start an upload to ${repository}`);
    }
    const hash = createHash("sha256");
    let size = 0;
    body.on("data", (c: Buffer) => {
      hash.update(c);
      size += c.length;
    });
    const patched = await this.streamFetch(new URL(location, this.base), {
      method: "PATCH",
      headers: { ...this.authHeader(scope), "Content-Type": "application/octet-stream" },
      body,
    }).catch(this.unreachable(repository));
    patched.body.resume();
    const next = patched.headers.get("location");
    if (patched.status !== 202 || !next)
      throw await this.unexpectedStatus(patched.status, `stream a blob to ${repository}`);
    const digest = `sha256:${hash.digest("hex")}`;
    const url = new URL(next, this.base);
    url.searchParams.set("digest", digest);
    const put = await this.request("PUT", `${url.pathname}${url.search}`, { scope });
    await put.body?.cancel();
    if (put.status !== 201)
      throw await this.unexpected(put, `finish the upload of ${digest} to ${repository}`);
    return { digest, size };
  }

  /** Pushes manifest bytes under a tag or digest; returns the registry's digest. */
  async putManifest(repository: string, reference: string, raw: Buffer, mediaType: string): Promise<string> {
    const res = await this.request("PUT", `/v2/${repository}/manifests/${reference}`, {
      scope: `${repository}:pull,push`,
      body: raw,
      headers: { "Content-Type": mediaType },
    });
    await res.body?.cancel();
    if (res.status !== 201) throw await this.unexpected(res, `push manifest ${repository}:${reference}`);
    return res.headers.get("docker-content-digest") ?? sha256(raw);
  }

  /**
   * Deletes a manifest by digest; never throws. Registries that do not allow deletes answer 405 (or
   * 400 UNSUPPORTED), tokens without the delete right 401/403: `why` says so.
   */
  async deleteManifest(repository: string, digest: string): Promise<{ deleted: boolean; why?: string }> {
    try {
      const res = await this.request("DELETE", `/v2/${repository}/manifests/${digest}`, {
        scope: `${repository}:delete`,
      });
      await res.body?.cancel();
      // 404: already gone, which is what was wanted.
      return res.ok || res.status === 404 ? { deleted: true } : { deleted: false, why: `HTTP ${res.status}` };
    } catch (err) {
      return { deleted: false, why: err instanceof Error ? err.message : String(err) };
    }
  }

  private async request(method: string, path: string, opts: RequestOptions): Promise<HttpResponse> {
    let challenged = false;
    for (let attempt = 0; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await this.fetch(`${this.base}${path}`, {
          method,
          headers: { ...opts.headers, ...this.authHeader(opts.scope) },
          ...(opts.body !== undefined
            ? { body: typeof opts.body === "string" ? opts.body : new Uint8Array(opts.body) }
            : {}),
        });
      } catch (err) {
        if (attempt < this.backoff.length) {
          await this.sleep(this.backoff[attempt] ?? 1000);
          continue;
        }
        return this.unreachable(path)(err);
      }
      if (res.status === 401 && !challenged) {
        challenged = true;
        if (await this.authenticate(res, opts.scope)) continue;
      }
      if ((res.status >= 500 || res.status === 429) && attempt < this.backoff.length) {
        await res.body?.cancel();
        const retryAfter = Number(res.headers.get("retry-after"));
        await this.sleep(
          Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : (this.backoff[attempt] ?? 1000),
        );
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel();
        throw new MlBuildpacksError(messages.registryAuthFailed(this.registry, res.status));
      }
      return res;
    }
  }

  private authHeader(scope: string): Record<string, string> {
    const token = this.tokens.get(scope);
    if (token) return { Authorization: `Bearer ${token}` };
    if (this.credential?.startsWith("Basic ")) return { Authorization: this.credential };
    return {};
  }

  /** Follows a Bearer challenge to the token service; returns whether a retry makes sense. */
  private async authenticate(res: HttpResponse, scope: string): Promise<boolean> {
    await res.body?.cancel();
    const challenge = res.headers.get("www-authenticate") ?? "";
    if (!challenge.toLowerCase().startsWith("bearer ")) return false;
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!params.realm) return false;
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set("service", params.service);
    for (const part of scope.split(" ")) {
      const [repo, actions] = part.split(":");
      url.searchParams.append("scope", `repository:${repo}:${actions}`);
    }
    const headers: Record<string, string> = this.credential ? { Authorization: this.credential } : {};
    const tokenRes = await this.fetch(url, { headers });
    if (!tokenRes.ok)
      throw new MlBuildpacksError(messages.registryAuthFailed(this.registry, tokenRes.status));
    const token = (await tokenRes.json()) as { token?: string; access_token?: string };
    const value = token.token ?? token.access_token;
    if (!value) return false;
    this.tokens.set(scope, value);
    return true;
  }

  private async unexpectedStatus(status: number, what: string): Promise<MlBuildpacksError> {
    return new MlBuildpacksError(messages.registryRequestFailed(this.registry, what, status, ""));
  }

  private async unexpected(res: HttpResponse, what: string): Promise<MlBuildpacksError> {
    const text = (await res.text().catch(() => "")).slice(0, 500);
    return new MlBuildpacksError(messages.registryRequestFailed(this.registry, what, res.status, text));
  }

  /**
   * Whether the registry deletes manifests of `repository`, asked without deleting anything: a
   * DELETE of a digest no manifest has. 404 (unknown manifest) or 2xx: deletes work. 405 (deletes
   * disabled: GHCR, docker-registry without storage.delete), 401/403 (the delete scope is not
   * granted) or any other answer: they don't, so nothing meant to be deleted may be pushed. Never rejects.
   */
  async deleteSupport(repository: string): Promise<{ supported: boolean; why: string }> {
    try {
      const res = await this.request("DELETE", `/v2/${repository}/manifests/sha256:${"0".repeat(64)}`, {
        scope: `${repository}:delete`,
      });
      await res.body?.cancel();
      if (res.ok || res.status === 404) return { supported: true, why: `HTTP ${res.status}` };
      return {
        supported: false,
        why: res.status === 405 ? "HTTP 405, deletes disabled" : `HTTP ${res.status}`,
      };
    } catch (err) {
      return { supported: false, why: err instanceof Error ? err.message : String(err) };
    }
  }
}

function describeFetchError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${cause.code}: ${cause.message ?? ""}`.trim() : err.message;
  }
  return String(err);
}
