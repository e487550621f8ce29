import { MlBuildpacksError } from "../errors.js";
import { isLoopbackRegistry } from "../image-ref.js";
import { messages } from "../messages.js";
import type { RegistryAuthMap } from "./credentials.js";

export const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
];

export interface Manifest {
  mediaType: string;
  digest: string;
  body: {
    mediaType?: string;
    config?: { size: number; digest: string };
    layers?: { size: number; digest: string }[];
    manifests?: {
      digest: string;
      size: number;
      platform?: { os: string; architecture: string; variant?: string };
    }[];
  };
}

export type Fetch = typeof fetch;

interface ClientOptions {
  auth?: RegistryAuthMap;
  fetch?: Fetch;
  /** Waits between retries of 5xx/429 answers, in ms. */
  backoff?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

/** A small OCI distribution client: enough to check reachability, read manifests and size images. */
export class RegistryClient {
  private readonly base: string;
  private readonly fetch: Fetch;
  private readonly backoff: readonly number[];
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly credential: string | undefined;
  private bearer: string | undefined;

  constructor(
    readonly registry: string,
    opts: ClientOptions = {},
  ) {
    const scheme = isLoopbackRegistry(registry) ? "http" : "https";
    this.base = `${scheme}://${registry === "index.docker.io" ? "registry-1.docker.io" : registry}`;
    this.fetch = opts.fetch ?? fetch;
    this.backoff = opts.backoff ?? [500, 1500, 4000];
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.credential = opts.auth?.[registry];
  }

  /** Throws registryUnreachable when the registry does not answer at all. */
  async ping(image: string): Promise<void> {
    try {
      const res = await this.fetch(`${this.base}/v2/`, { signal: AbortSignal.timeout(10_000) });
      await res.body?.cancel();
    } catch (err) {
      throw new MlBuildpacksError(
        messages.registryUnreachable(this.registry, image, describeFetchError(err)),
      );
    }
  }

  async getManifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const res = await this.request("GET", `/v2/${repository}/manifests/${reference}`, repository, {
      Accept: MANIFEST_TYPES.join(", "),
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`GET manifest ${repository}:${reference}: HTTP ${res.status}`);
    const text = await res.text();
    const body = JSON.parse(text) as Manifest["body"];
    return {
      mediaType: res.headers.get("content-type") ?? body.mediaType ?? "",
      digest: res.headers.get("docker-content-digest") ?? "",
      body,
    };
  }

  /** Compressed size of an image as stored in the registry: config plus layers. */
  async imageSize(repository: string, reference: string): Promise<number | undefined> {
    const manifest = await this.getManifest(repository, reference);
    if (!manifest?.body.layers) return undefined;
    return (manifest.body.config?.size ?? 0) + manifest.body.layers.reduce((sum, l) => sum + l.size, 0);
  }

  private async request(method: string, path: string, repository: string, headers: Record<string, string>) {
    for (let attempt = 0; ; attempt++) {
      const res = await this.fetch(`${this.base}${path}`, {
        method,
        headers: { ...headers, ...this.authHeader() },
      });
      if (res.status === 401 && !this.bearer && (await this.authenticate(res, repository))) continue;
      if ((res.status >= 500 || res.status === 429) && attempt < this.backoff.length) {
        await res.body?.cancel();
        await this.sleep(this.backoff[attempt] ?? 1000);
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel();
        throw new MlBuildpacksError(messages.registryAuthFailed(this.registry, res.status));
      }
      return res;
    }
  }

  private authHeader(): Record<string, string> {
    if (this.bearer) return { Authorization: `Bearer ${this.bearer}` };
    if (this.credential?.startsWith("Basic ")) return { Authorization: this.credential };
    return {};
  }

  /** Follows a Bearer challenge (token service) once; returns whether a retry makes sense. */
  private async authenticate(res: Response, repository: string): Promise<boolean> {
    await res.body?.cancel();
    const challenge = res.headers.get("www-authenticate") ?? "";
    if (!challenge.toLowerCase().startsWith("bearer ")) return false;
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!params.realm) return false;
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set("service", params.service);
    url.searchParams.set("scope", params.scope ?? `repository:${repository}:pull`);
    const headers: Record<string, string> = this.credential ? { Authorization: this.credential } : {};
    const tokenRes = await this.fetch(url, { headers });
    if (!tokenRes.ok)
      throw new MlBuildpacksError(messages.registryAuthFailed(this.registry, tokenRes.status));
    const token = (await tokenRes.json()) as { token?: string; access_token?: string };
    this.bearer = token.token ?? token.access_token;
    return this.bearer !== undefined;
  }
}

function describeFetchError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${cause.code}: ${cause.message ?? ""}`.trim() : err.message;
  }
  return String(err);
}
