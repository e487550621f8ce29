import { createHash } from "node:crypto";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { MlBuildpacksError } from "../errors.js";
import { isLoopbackRegistry } from "../image-ref.js";
import { messages } from "../messages.js";
import { Authenticator, credentialOf, describeScope } from "./auth.js";
import type { RegistryAuthMap } from "./credentials.js";
import { createHttp, type Http, type HttpFetch, type HttpResponse, type StreamFetch } from "./http.js";
import { proxySettingsFromEnv } from "./proxy.js";
import { isRetryableStatus, retryDelay } from "./retry.js";
import { trustedCas, trustFiles } from "./trust.js";

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

export interface ClientOptions {
  auth?: RegistryAuthMap;
  /** Extra CA bundle to trust (BuildRequest.caCerts); default ML_BUILDPACKS_CA_CERTS. */
  caCerts?: string;
  /** Registries spoken to over plain http (loopback ones always are). */
  insecureRegistries?: readonly string[];
  /** Proxies (HTTPS_PROXY, NO_PROXY...), the system trust store (SSL_CERT_FILE). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Tests: requests go here instead of the network (caCerts and the proxy settings then do nothing). */
  fetch?: Fetch;
  streamFetch?: StreamFetch;
  /** Waits between retries of 5xx/429 answers and dropped connections, in ms. */
  backoff?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
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

/** Pure: the repository of a /v2/<repository>/(blobs|manifests)/<ref> path. */
export function repositoryOfPath(path: string): string | undefined {
  return /^\/v2\/(.+)\/(?:blobs|manifests)\/[^/]+$/.exec(path)?.[1];
}

async function answerText(res: HttpResponse): Promise<string> {
  const text = (await res.text().catch(() => "")).trim().slice(0, 500);
  return `HTTP ${res.status}${text ? `: ${text}` : ""}`;
}

/** Pure: whether the client (and the lifecycle) speak plain http to `registry`. */
export function isInsecureRegistry(registry: string, insecure: readonly string[] = []): boolean {
  return isLoopbackRegistry(registry) || insecure.includes(registry);
}

/** One transport per CA file and proxy settings, shared by the clients of a process (keep-alive). */
const transports = new Map<string, Http>();
function defaultHttp(env: NodeJS.ProcessEnv, caCerts: string | undefined): Http {
  const files = trustFiles(env, caCerts);
  const proxy = proxySettingsFromEnv(env);
  const key = JSON.stringify([files, proxy.httpProxy?.href, proxy.httpsProxy?.href, proxy.noProxy]);
  let http = transports.get(key);
  if (!http) {
    http = createHttp({ ca: trustedCas(files), proxy });
    transports.set(key, http);
  }
  return http;
}

/** A response of either kind, as the retry/auth loop sees it. */
interface Answer {
  status: number;
  headers: { get(name: string): string | null };
}

/**
 * An OCI distribution client for real registries: manifests and blobs (streamed where large),
 * Bearer tokens (auth.ts) and Basic auth, retries with backoff on 429/5xx and dropped connections,
 * cross-repository blob mounts, the system trust store plus an extra CA, HTTP proxies.
 */
export class RegistryClient {
  private readonly base: string;
  private readonly http: () => Http;
  private readonly backoff: readonly number[];
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly auth: Authenticator;

  constructor(
    readonly registry: string,
    opts: ClientOptions = {},
  ) {
    const scheme = isInsecureRegistry(registry, opts.insecureRegistries) ? "http" : "https";
    this.base = `${scheme}://${registry === "index.docker.io" ? "registry-1.docker.io" : registry}`;
    let http: Http | undefined;
    // Lazily: a client that never connects never reads CA files (and never fails on them).
    this.http = () => {
      http ??= {
        ...(opts.fetch || opts.streamFetch
          ? createHttp()
          : defaultHttp(opts.env ?? process.env, opts.caCerts)),
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
        ...(opts.streamFetch ? { streamFetch: opts.streamFetch } : {}),
      };
      return http;
    };
    this.backoff = opts.backoff ?? [500, 1500, 4000];
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = opts.now ?? Date.now;
    const fetchForTokens: HttpFetch = (url, init) => this.http().fetch(url, init);
    this.auth = new Authenticator(registry, credentialOf(opts.auth?.[registry]), fetchForTokens, this.now);
  }

  /** Throws registryUnreachable when the registry does not answer at all. */
  async ping(image: string): Promise<void> {
    const res = await this.http()
      .fetch(`${this.base}/v2/`, { signal: AbortSignal.timeout(10_000) })
      .catch(this.unreachable(`push ${image}`));
    await res.body?.cancel();
  }

  /** A rejection handler: a request that got no answer becomes registryUnreachable for `action`. */
  private unreachable(action: string): (err: unknown) => never {
    return (err) => {
      if (err instanceof MlBuildpacksError) throw err;
      throw new MlBuildpacksError(
        messages.registryUnreachable(this.registry, action, describeFetchError(err)),
      );
    };
  }

  /** Whether the registry ever answered this client: then a request without an answer means it went away. */
  private answered = false;

  /**
   * A request that got no answer after its retries: unreachable (a name, a CA, a proxy) when the
   * registry never answered, else it stopped answering mid-operation.
   */
  private noAnswer(action: string, attempts: number, err: unknown): never {
    if (!this.answered || err instanceof MlBuildpacksError) return this.unreachable(action)(err);
    throw new MlBuildpacksError(
      messages.registryLost(this.registry, action, attempts, describeFetchError(err)),
    );
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

  /** A small blob (configs) in memory; large ones go through getBlobStream. */
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

  /**
   * The registry's error answer to a GET of `path` (/v2/<repository>/...): the exporter's HEAD got a
   * 5xx, and HEAD answers carry no body. One attempt; undefined when GET works or nothing answers.
   */
  async errorAnswer(path: string): Promise<string | undefined> {
    const repository = repositoryOfPath(path);
    if (!repository) return undefined;
    const res = await this.once("GET", path, `${repository}:pull`);
    if (!res || res.ok) return void (await res?.body?.cancel());
    return answerText(res);
  }

  /**
   * Whether the registry can take an upload to `repository` now: one is started and at once
   * cancelled (nothing is stored). Its error answer, or undefined when it can or nothing answers.
   */
  async uploadAnswer(repository: string): Promise<string | undefined> {
    const scope = `${repository}:pull,push`;
    const res = await this.once("POST", `/v2/${repository}/blobs/uploads/`, scope);
    if (!res) return undefined;
    const location = res.headers.get("location");
    if (res.status !== 202 || !location) return answerText(res);
    await res.body?.cancel();
    // Cancelling needs the delete scope; where it is not granted the empty session stays until the
    // registry purges stale uploads.
    const cancel = await this.once("DELETE", new URL(location, this.base).toString(), `${repository}:delete`);
    await cancel?.body?.cancel();
    return undefined;
  }

  /** One request, no retry: the answer, or undefined when nothing answered. For diagnosis only. */
  private async once(method: string, pathOrUrl: string, scope: string): Promise<HttpResponse | undefined> {
    const url = pathOrUrl.startsWith("/") ? `${this.base}${pathOrUrl}` : pathOrUrl;
    try {
      return await this.exchange(
        scope,
        false,
        (auth) => this.http().fetch(url, { method, headers: auth }),
        (r) => r.body?.cancel(),
      );
    } catch {
      return undefined;
    }
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

  /**
   * Upload of a small blob in memory (configs, small layers): POST, PATCH, PUT with the digest, as
   * the streamed uploads do, so a dropped connection or a 5xx on any of them starts a new session
   * (a retried PUT to a session the registry already closed would only get 404).
   */
  async uploadBlob(repository: string, data: Buffer): Promise<string> {
    const expected = { digest: sha256(data), size: data.length };
    await this.streamUpload(repository, () => Readable.from([data]), {
      expected,
      retries: this.backoff.length,
      readAgain: true,
    });
    return expected.digest;
  }

  /** POST .../blobs/uploads/: the new session's URL. */
  private async startUpload(repository: string): Promise<string> {
    const start = await this.request("POST", `/v2/${repository}/blobs/uploads/`, {
      scope: `${repository}:pull,push`,
    });
    await start.body?.cancel();
    const location = start.headers.get("location");
    if (start.status !== 202 || !location)
      throw await this.unexpected(start, `start an upload to ${repository}`);
    return location;
  }

  /** A blob's bytes as a stream, or undefined when the registry has no such blob. Retried until bytes flow. */
  async openBlob(repository: string, digest: string): Promise<Readable | undefined> {
    const scope = `${repository}:pull`;
    const path = `/v2/${repository}/blobs/${digest}`;
    const res = await this.exchange(
      scope,
      true,
      (auth) => this.http().streamFetch(`${this.base}${path}`, { headers: auth }),
      (r) => void r.body.resume(),
    );
    if (res.status === 404) {
      res.body.resume();
      return undefined;
    }
    if (res.status !== 200) {
      res.body.resume();
      throw this.failed(res.status, `read blob ${repository}@${digest}`, "");
    }
    return res.body;
  }

  /** A blob's bytes as a stream (layers too large to hold in memory). */
  async getBlobStream(repository: string, digest: string): Promise<Readable> {
    const body = await this.openBlob(repository, digest);
    if (!body) throw this.failed(404, `read blob ${repository}@${digest}`, "");
    return body;
  }

  /**
   * Uploads a blob of known digest and size from a stream, never holding it in memory: POST, one
   * PATCH with the bytes (their digest checked on the way: a source that does not match fails the
   * upload before it is committed), PUT with the digest. A failed attempt (5xx, 429, a dropped
   * connection on either side, an expired token) starts a new upload session with a new stream
   * from `open`: the source is a registry, which can be read again.
   */
  async uploadBlobFrom(
    repository: string,
    blob: { digest: string; size: number },
    open: () => Promise<Readable>,
  ): Promise<void> {
    await this.streamUpload(repository, open, {
      expected: blob,
      retries: this.backoff.length,
      readAgain: true,
    });
  }

  /**
   * Streams a blob of unknown digest into the repository (POST, one chunked PATCH, PUT with the
   * digest computed on the way); returns its digest and size. `body` as a stream is read once, so
   * a failed upload is not retried. As a function, each call makes the same bytes again (pre-export
   * re-tars and re-compresses a layer, recompression reads the layer again): a failure of the
   * registry it uploads to (5xx, 429, a dropped connection, an expired token) then starts a new
   * upload session with a new stream, and only then is `body` called again. A failure of the
   * stream itself (a file that vanished) is the caller's: it is thrown as it is, never retried.
   */
  async uploadBlobStream(
    repository: string,
    body: Readable | (() => Readable | Promise<Readable>),
  ): Promise<{ digest: string; size: number }> {
    const open = typeof body === "function" ? body : () => body;
    return this.streamUpload(repository, open, {
      retries: typeof body === "function" ? this.backoff.length : 0,
      readAgain: false,
    });
  }

  /**
   * The loop of the streamed uploads: a new upload session and a new stream per attempt, up to
   * `retries` more; `expected` checks the bytes against a known digest and size (and sends the
   * length), else they are hashed on the way; `readAgain`: a failing source is retried too.
   */
  private async streamUpload(
    repository: string,
    open: () => Readable | Promise<Readable>,
    o: { expected?: { digest: string; size: number }; retries: number; readAgain: boolean },
  ): Promise<{ digest: string; size: number }> {
    const scope = `${repository}:pull,push`;
    const what = o.expected
      ? `upload ${o.expected.digest} to ${repository}`
      : `stream a blob to ${repository}`;
    for (let attempt = 0; ; attempt++) {
      const source = await open();
      let location: string;
      try {
        location = await this.startUpload(repository);
      } catch (err) {
        source.destroy();
        throw err;
      }
      // The request reads `counted`, so a failed request destroys it, never `source`: an error
      // `source` emits is its own.
      const counted = o.expected ? new DigestCheck(o.expected.digest, o.expected.size) : new BlobHash();
      let sourceFailed: Error | undefined;
      source.on("error", (err) => {
        sourceFailed = err;
        counted.destroy(err);
      });
      source.pipe(counted);
      let status: number;
      let retryAfter: string | null = null;
      let challenge: string | null = null;
      let next: string | null = null;
      try {
        const patched = await this.http().streamFetch(new URL(location, this.base), {
          method: "PATCH",
          headers: {
            ...this.auth.header(scope),
            "Content-Type": "application/octet-stream",
            ...(o.expected ? { "Content-Length": String(o.expected.size) } : {}),
          },
          body: counted,
        });
        patched.body.resume();
        this.answered = true;
        status = patched.status;
        retryAfter = patched.headers.get("retry-after");
        challenge = patched.headers.get("www-authenticate");
        next = patched.headers.get("location");
      } catch (err) {
        source.destroy();
        const cause = (err as { cause?: unknown }).cause;
        if (cause instanceof MlBuildpacksError) throw cause;
        if (sourceFailed && !o.readAgain) throw sourceFailed;
        if (attempt >= o.retries) return this.noAnswer(describeScope(scope), attempt + 1, err);
        await this.sleep(retryDelay(attempt, this.backoff, null, this.now()));
        continue;
      }
      if (status === 202 && next) {
        const { digest, size } = counted.result();
        const url = new URL(next, this.base);
        url.searchParams.set("digest", digest);
        await this.finishUpload(repository, `${url.pathname}${url.search}`, digest);
        return { digest, size };
      }
      source.destroy();
      const again =
        attempt < o.retries &&
        (isRetryableStatus(status) || (status === 401 && (await this.auth.challenged(challenge, scope))));
      if (!again) {
        if (status === 401 || status === 403) throw this.refused(status, scope);
        throw this.failed(status, what, "");
      }
      if (status !== 401) await this.sleep(retryDelay(attempt, this.backoff, retryAfter, this.now()));
    }
  }

  /**
   * The PUT that commits an upload. When its answer is lost (a dropped connection, a 5xx from a
   * proxy after the registry committed) the retried PUT finds the session closed: the blob is then
   * asked for, and present means done.
   */
  private async finishUpload(repository: string, path: string, digest: string): Promise<void> {
    const scope = `${repository}:pull,push`;
    let put: HttpResponse;
    try {
      put = await this.request("PUT", path, { scope });
    } catch (err) {
      if (await this.blobExists(repository, digest).catch(() => false)) return;
      throw err;
    }
    await put.body?.cancel();
    if (put.status === 201 || (await this.blobExists(repository, digest).catch(() => false))) return;
    throw await this.unexpected(put, `finish the upload of ${digest} to ${repository}`);
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
   * Deletes a manifest by digest; never throws. `deleted` only when the registry said it deleted
   * it (2xx). A 404 is `{ deleted: false, why: "not found", status: 404 }`: nothing was there, so
   * nothing was deleted. Registries that do not allow deletes answer 405 (or 400 UNSUPPORTED),
   * tokens without the delete right 401/403: `why` says so.
   */
  async deleteManifest(
    repository: string,
    digest: string,
  ): Promise<{ deleted: boolean; why?: string; status?: number }> {
    try {
      const res = await this.request("DELETE", `/v2/${repository}/manifests/${digest}`, {
        scope: `${repository}:delete`,
      });
      await res.body?.cancel();
      if (res.ok) return { deleted: true, status: res.status };
      if (res.status === 404) return { deleted: false, why: "not found", status: 404 };
      return { deleted: false, why: `HTTP ${res.status}`, status: res.status };
    } catch (err) {
      return { deleted: false, why: err instanceof Error ? err.message : String(err) };
    }
  }

  /** A request whose body (if any) is in memory: retried on 5xx/429/dropped connections, authenticated on 401. */
  private request(method: string, path: string, opts: RequestOptions): Promise<HttpResponse> {
    const body =
      opts.body !== undefined
        ? { body: typeof opts.body === "string" ? opts.body : new Uint8Array(opts.body) }
        : {};
    return this.exchange(
      opts.scope,
      true,
      (auth) =>
        this.http().fetch(`${this.base}${path}`, { method, headers: { ...opts.headers, ...auth }, ...body }),
      (res) => res.body?.cancel(),
    );
  }

  /**
   * The loop around one request: a 401 follows the registry's challenge once (a new token, Basic
   * credentials), 429/5xx and dropped connections are retried after the backoff (or Retry-After)
   * when `retry`, a refusal (401/403 that auth cannot fix) is an error naming the action.
   */
  private async exchange<R extends Answer>(
    scope: string,
    retry: boolean,
    send: (auth: Record<string, string>) => Promise<R>,
    discard: (res: R) => unknown,
  ): Promise<R> {
    let challenged = false;
    for (let attempt = 0; ; ) {
      let res: R;
      try {
        res = await send(this.auth.header(scope));
        this.answered = true;
      } catch (err) {
        // Our own errors (a CA file, a proxy setting, the token service) do not heal by waiting.
        if (err instanceof MlBuildpacksError) throw err;
        if (retry && attempt < this.backoff.length) {
          await this.sleep(retryDelay(attempt++, this.backoff, null, this.now()));
          continue;
        }
        return this.noAnswer(describeScope(scope), attempt + 1, err);
      }
      if (res.status === 401 && !challenged) {
        challenged = true;
        await discard(res);
        if (await this.auth.challenged(res.headers.get("www-authenticate"), scope)) continue;
        throw this.refused(401, scope);
      }
      if (retry && isRetryableStatus(res.status) && attempt < this.backoff.length) {
        await discard(res);
        await this.sleep(retryDelay(attempt++, this.backoff, res.headers.get("retry-after"), this.now()));
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        await discard(res);
        throw this.refused(res.status, scope);
      }
      return res;
    }
  }

  private refused(status: number, scope: string): MlBuildpacksError {
    return new MlBuildpacksError(
      messages.registryAuthFailed(this.registry, status, describeScope(scope), this.auth.anonymous),
    );
  }

  private failed(status: number, what: string, body: string): MlBuildpacksError {
    return new MlBuildpacksError(messages.registryRequestFailed(this.registry, what, status, body));
  }

  private async unexpected(res: HttpResponse, what: string): Promise<MlBuildpacksError> {
    const text = (await res.text().catch(() => "")).slice(0, 500);
    return this.failed(res.status, what, text);
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

/** Passes a blob's bytes through, hashing and counting them: its digest and size once they are through. */
class BlobHash extends Transform {
  protected readonly hash = createHash("sha256");
  protected size = 0;
  private digest: string | undefined;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    done(null, chunk);
  }

  /** After the last byte went through (the registry answered the PATCH). */
  result(): { digest: string; size: number } {
    this.digest ??= `sha256:${this.hash.digest("hex")}`;
    return { digest: this.digest, size: this.size };
  }
}

/**
 * A BlobHash that fails at the end when the bytes are not the blob the manifest names (a corrupt
 * or changed source), so the upload is never committed.
 */
class DigestCheck extends BlobHash {
  constructor(
    private readonly expectedDigest: string,
    private readonly expectedSize: number,
  ) {
    super();
  }

  override _flush(done: TransformCallback): void {
    const { digest, size } = this.result();
    if (digest === this.expectedDigest && size === this.expectedSize) {
      done();
      return;
    }
    done(
      new MlBuildpacksError(
        messages.blobDigestMismatch(this.expectedDigest, this.expectedSize, digest, size),
      ),
    );
  }
}

function describeFetchError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${cause.code}: ${cause.message ?? ""}`.trim() : err.message;
  }
  return String(err);
}
