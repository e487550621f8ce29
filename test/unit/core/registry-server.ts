// A small but real OCI registry for the registry client's tests: node:https with a CA made here by
// openssl, Bearer token auth through its own token endpoint (GET with Basic or anonymous, OAuth2
// POST with a refresh token), or Basic auth; blobs streamed (hashed on the way, never joined),
// faults injected on demand. Plus an HTTP proxy (CONNECT tunnels over node:net, absolute-URI
// requests) whose host table stands in for DNS.
import { execFileSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

export interface Pki {
  dir: string;
  caFile: string;
  key: string;
  cert: string;
}

/** A CA and a server certificate for registry.test, other.test and 127.0.0.2. */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), "registry-pki-"));
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    "2",
    "-subj",
    "/CN=test CA",
  );
  run(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=registry.test",
  );
  writeFileSync(join(dir, "ext.cnf"), "subjectAltName=DNS:registry.test,DNS:other.test,IP:127.0.0.2\n");
  run(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.crt",
    "-days",
    "2",
    "-extfile",
    "ext.cnf",
  );
  return {
    dir,
    caFile: join(dir, "ca.crt"),
    key: readFileSync(join(dir, "server.key"), "utf8"),
    cert: readFileSync(join(dir, "server.crt"), "utf8"),
  };
}

export const sha = (b: Buffer | string) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** Deterministic pseudo-random bytes, `size` of them, in 64 KiB chunks, generated as they are read. */
export function generated(size: number, seed = 1): Readable {
  let produced = 0;
  let state = seed;
  return new Readable({
    read() {
      if (produced >= size) return void this.push(null);
      const n = Math.min(65536, size - produced);
      const chunk = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i += 4) {
        state = (state * 1664525 + 1013904223) >>> 0;
        chunk.writeUInt32LE(state, i);
      }
      produced += n;
      this.push(chunk);
    },
  });
}

export async function digestOf(stream: Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const c of stream) hash.update(c as Buffer);
  return `sha256:${hash.digest("hex")}`;
}

interface Blob {
  size: number;
  data?: Buffer;
  /** Large blobs: served from a generator instead of memory. */
  open?: () => Readable;
}

export interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  contentLength: string | undefined;
  transferEncoding: string | undefined;
}

type Fault = {
  match: (method: string, url: string) => boolean;
  /** reset: cut before handling; lost: handled (stored), then cut before the answer. */
  answer: "reset" | "lost" | { status: number; headers?: Record<string, string>; body?: string };
};

export interface RegistryOptions {
  auth: "token" | "basic" | "none";
  /** user -> password (Basic, and token GETs). */
  users?: Record<string, string>;
  /** Refresh tokens the OAuth2 endpoint accepts, -> user. */
  refreshTokens?: Record<string, string>;
  /** The token endpoint refuses POST (404), as token servers without OAuth2 do. */
  noOAuth?: boolean;
  /** Repositories under this prefix may be pulled anonymously. */
  publicPrefix?: string;
  deletes?: boolean;
  tokenLifetime?: number;
}

export class TestRegistry {
  readonly blobs = new Map<string, Blob>();
  readonly manifests = new Map<string, { raw: Buffer; type: string }>();
  readonly seen: Seen[] = [];
  readonly faults: Fault[] = [];
  readonly tokenRequests: { method: string; auth: string | undefined; query: string; body: string }[] = [];
  /** Issued tokens: token -> scopes granted ("repo:action"). */
  readonly tokens = new Map<string, Set<string>>();
  readonly uploads = new Map<
    string,
    { repo: string; hash: ReturnType<typeof createHash>; size: number; chunks: Buffer[] }
  >();
  server!: Server;
  port = 0;
  /** What clients call the registry: host:port. */
  name = "";

  constructor(
    private readonly opts: RegistryOptions,
    private readonly pki: Pki | undefined,
  ) {}

  async start(host = "127.0.0.2", name = host): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    this.server = this.pki
      ? createHttpsServer({ key: this.pki.key, cert: this.pki.cert }, handler)
      : createHttpServer(handler);
    await new Promise<void>((r) => this.server.listen(0, host, r));
    this.port = (this.server.address() as AddressInfo).port;
    this.name = `${name}:${this.port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections?.();
    return new Promise((r) => this.server.close(() => r()));
  }

  putBlob(repo: string, data: Buffer): string {
    const digest = sha(data);
    this.blobs.set(`${repo}@${digest}`, { size: data.length, data });
    return digest;
  }

  putLargeBlob(repo: string, digest: string, size: number, open: () => Readable): void {
    this.blobs.set(`${repo}@${digest}`, { size, open });
  }

  putManifest(
    repo: string,
    ref: string,
    body: object,
    type = "application/vnd.oci.image.manifest.v1+json",
  ): string {
    const raw = Buffer.from(JSON.stringify(body));
    const digest = sha(raw);
    this.manifests.set(`${repo}:${ref}`, { raw, type });
    this.manifests.set(`${repo}:${digest}`, { raw, type });
    return digest;
  }

  private scheme(): string {
    return this.pki ? "https" : "http";
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", `${this.scheme()}://${this.name}`);
    const method = req.method ?? "GET";
    this.seen.push({
      method,
      url: `${url.pathname}${url.search}`,
      auth: req.headers.authorization,
      contentLength: req.headers["content-length"],
      transferEncoding: req.headers["transfer-encoding"],
    });
    const fault = this.faults.findIndex((f) => f.match(method, url.pathname));
    if (fault >= 0) {
      const [{ answer }] = this.faults.splice(fault, 1) as [Fault];
      if (answer === "reset") return void req.socket.destroy();
      if (answer !== "lost") {
        req.resume();
        return void res.writeHead(answer.status, answer.headers).end(answer.body ?? "injected");
      }
      // Handled as usual below, but the answer never leaves.
      res.writeHead = (() => {
        req.socket.destroy();
        return res;
      }) as typeof res.writeHead;
    }
    if (url.pathname === "/token") {
      this.token(req, res, url);
      return;
    }
    if (!url.pathname.startsWith("/v2/")) return void res.writeHead(404).end();
    const route = /^\/v2\/(.+?)\/(manifests|blobs\/uploads|blobs)\/?(.*)$/.exec(url.pathname);
    const repo = route?.[1] ?? "";
    const kind = route?.[2];
    const action = method === "DELETE" ? "delete" : ["GET", "HEAD"].includes(method) ? "pull" : "push";
    if (!this.authorized(req, res, route ? repo : undefined, action)) return void req.resume();
    if (!route) return void res.writeHead(200).end("{}");
    const ref = route[3] ?? "";
    if (kind === "manifests") this.manifest(req, res, method, repo, ref);
    else if (kind === "blobs") this.blob(req, res, method, repo, ref);
    else this.upload(req, res, method, repo, ref, url);
  }

  /** Checks the request's credentials; answers 401 with a challenge when they do not do. */
  private authorized(
    req: IncomingMessage,
    res: ServerResponse,
    repo: string | undefined,
    action: string,
  ): boolean {
    const auth = req.headers.authorization ?? "";
    if (this.opts.auth === "none") return true;
    if (this.opts.auth === "basic") {
      if (this.basicUser(auth)) return true;
      res.writeHead(401, { "www-authenticate": 'Basic realm="test"' }).end();
      return false;
    }
    const scopes = auth.startsWith("Bearer ") ? this.tokens.get(auth.slice(7)) : undefined;
    if (scopes && (!repo || scopes.has(`${repo}:${action}`))) return true;
    const scope = repo ? `,scope="repository:${repo}:${action === "pull" ? "pull" : `pull,${action}`}"` : "";
    res
      .writeHead(401, {
        "www-authenticate": `Bearer realm="${this.scheme()}://${this.name}/token",service="test-registry"${scope}`,
        "content-type": "application/json",
      })
      .end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    return false;
  }

  private basicUser(auth: string): string | undefined {
    if (!auth.startsWith("Basic ")) return undefined;
    const pair = Buffer.from(auth.slice(6), "base64").toString();
    const i = pair.indexOf(":");
    const [user, password] = [pair.slice(0, i), pair.slice(i + 1)];
    return this.opts.users?.[user] === password ? user : undefined;
  }

  private token(req: IncomingMessage, res: ServerResponse, url: URL): void {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const method = req.method ?? "GET";
      this.tokenRequests.push({ method, auth: req.headers.authorization, query: url.search, body });
      let user: string | undefined;
      let scopes: string[];
      if (method === "POST") {
        if (this.opts.noOAuth) return void res.writeHead(404).end();
        const form = new URLSearchParams(body);
        user =
          form.get("grant_type") === "refresh_token"
            ? this.opts.refreshTokens?.[form.get("refresh_token") ?? ""]
            : undefined;
        if (!user) return void res.writeHead(401).end('{"error":"invalid_grant"}');
        scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
      } else {
        const auth = req.headers.authorization;
        user = auth ? this.basicUser(auth) : undefined;
        if (auth && !user) return void res.writeHead(401).end('{"details":"bad credentials"}');
        scopes = url.searchParams.getAll("scope");
      }
      const granted = new Set<string>();
      for (const scope of scopes) {
        const [, repo = "", actions = ""] = scope.split(":");
        for (const a of actions.split(",")) {
          if (user || (a === "pull" && this.opts.publicPrefix && repo.startsWith(this.opts.publicPrefix)))
            granted.add(`${repo}:${a}`);
        }
      }
      const token = randomUUID();
      this.tokens.set(token, granted);
      const answer = method === "POST" ? { access_token: token } : { token };
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          ...answer,
          expires_in: this.opts.tokenLifetime ?? 300,
          issued_at: new Date().toISOString(),
        }),
      );
    });
  }

  private manifest(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    repo: string,
    ref: string,
  ): void {
    const key = `${repo}:${ref}`;
    if (method === "PUT") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks);
        const digest = sha(raw);
        const type = req.headers["content-type"] ?? "";
        this.manifests.set(key, { raw, type });
        this.manifests.set(`${repo}:${digest}`, { raw, type });
        res.writeHead(201, { "docker-content-digest": digest }).end();
      });
      return;
    }
    req.resume();
    const found = this.manifests.get(key);
    if (method === "DELETE") {
      if (!this.opts.deletes) return void res.writeHead(405).end('{"errors":[{"code":"UNSUPPORTED"}]}');
      if (!found) return void res.writeHead(404).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
      this.manifests.delete(key);
      return void res.writeHead(202).end();
    }
    if (!found) return void res.writeHead(404).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    res.writeHead(200, { "content-type": found.type, "docker-content-digest": sha(found.raw) });
    res.end(method === "HEAD" ? undefined : found.raw);
  }

  private blob(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    repo: string,
    digest: string,
  ): void {
    req.resume();
    const blob = this.blobs.get(`${repo}@${digest}`);
    if (!blob) return void res.writeHead(404).end('{"errors":[{"code":"BLOB_UNKNOWN"}]}');
    res.writeHead(200, { "content-length": String(blob.size), "docker-content-digest": digest });
    if (method === "HEAD") return void res.end();
    if (blob.data) return void res.end(blob.data);
    blob.open?.().pipe(res);
  }

  private upload(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    repo: string,
    id: string,
    url: URL,
  ): void {
    if (method === "POST") {
      req.resume();
      const mount = url.searchParams.get("mount");
      const from = url.searchParams.get("from");
      const source = mount && from ? this.blobs.get(`${from}@${mount}`) : undefined;
      if (mount && source) {
        this.blobs.set(`${repo}@${mount}`, source);
        return void res.writeHead(201, { location: `/v2/${repo}/blobs/${mount}` }).end();
      }
      const uuid = randomUUID();
      this.uploads.set(uuid, { repo, hash: createHash("sha256"), size: 0, chunks: [] });
      return void res.writeHead(202, { location: `/v2/${repo}/blobs/uploads/${uuid}` }).end();
    }
    const upload = this.uploads.get(id);
    if (!upload) {
      req.resume();
      return void res.writeHead(404).end('{"errors":[{"code":"BLOB_UPLOAD_UNKNOWN"}]}');
    }
    // Bytes are hashed as they arrive; only small blobs are kept (the large ones are checked by digest).
    if (method === "DELETE") {
      this.uploads.delete(id);
      return void res.writeHead(204).end();
    }
    req.on("data", (c: Buffer) => {
      upload.hash.update(c);
      upload.size += c.length;
      if (upload.size <= 1 << 20) upload.chunks.push(c);
    });
    req.on("end", () => {
      if (method === "PATCH")
        return void res.writeHead(202, { location: `/v2/${repo}/blobs/uploads/${id}` }).end();
      const digest = url.searchParams.get("digest") ?? "";
      const got = `sha256:${upload.hash.copy().digest("hex")}`;
      if (got !== digest) return void res.writeHead(400).end('{"errors":[{"code":"DIGEST_INVALID"}]}');
      this.uploads.delete(id);
      const small = upload.size <= 1 << 20 ? Buffer.concat(upload.chunks) : undefined;
      this.blobs.set(`${repo}@${digest}`, { size: upload.size, ...(small ? { data: small } : {}) });
      res.writeHead(201, { location: `/v2/${repo}/blobs/${digest}`, "docker-content-digest": digest }).end();
    });
  }
}

/**
 * An HTTP proxy: CONNECT tunnels (node:net) and absolute-URI requests. `hosts` maps the names it
 * resolves (the client cannot: they exist only here) to addresses.
 */
export class TestProxy {
  readonly connects: string[] = [];
  readonly forwarded: string[] = [];
  server!: Server;
  port = 0;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly hosts: Record<string, string>) {}

  private resolve(host: string): string {
    return this.hosts[host] ?? host;
  }

  async start(): Promise<this> {
    this.server = createHttpServer((req, res) => {
      const target = new URL(req.url ?? "");
      this.forwarded.push(`${req.method} ${req.url}`);
      const headers = { ...req.headers, host: target.host };
      delete headers["proxy-authorization"];
      const upstream = httpRequest(
        {
          host: this.resolve(target.hostname),
          port: target.port || 80,
          method: req.method,
          path: `${target.pathname}${target.search}`,
          headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    });
    this.server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
      const authority = req.url ?? "";
      this.connects.push(authority);
      const [host = "", port = "443"] = authority.split(/:(?=\d+$)/);
      const upstream = connect(Number(port), this.resolve(host), () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      this.sockets.add(upstream).add(client);
      upstream.on("error", () => {
        if (upstream.pending) client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
        else client.destroy();
      });
      client.on("error", () => upstream.destroy());
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections?.();
    return new Promise((r) => this.server.close(() => r()));
  }
}
