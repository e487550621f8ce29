// The subset of fetch the registry client uses, over node:http(s). Node's global fetch loads and
// compiles undici on first use (about 20 ms of an up-to-date build's 250 ms); node:http is already
// in the startup snapshot. nodeFetch reads bodies whole (manifests, configs, small blobs);
// nodeStreamFetch streams them (layers being recompressed). createHttp adds what real registries
// need: a CA list (system store plus the user's CA, see trust.ts) and HTTP proxies (proxy.ts):
// CONNECT tunnels for https targets, absolute-URI requests for http ones.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import {
  Agent as HttpsAgent,
  type RequestOptions as HttpsRequestOptions,
  request as httpsRequest,
} from "node:https";
import type { Duplex, Readable } from "node:stream";
import { connect as tlsConnect } from "node:tls";
import { type ProxySettings, proxyFor } from "./proxy.js";

export interface HttpInit {
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
  json(): Promise<unknown>;
  text(): Promise<string>;
  body: { cancel(): Promise<void> } | null;
}

export type HttpFetch = (url: string | URL, init?: HttpInit) => Promise<HttpResponse>;

/** A response whose body is left unread, for blobs too large to hold in memory. */
export interface StreamResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: IncomingMessage;
}

/**
 * Streaming requests: the response body is handed over unread (redirects followed as nodeFetch
 * does, unless the request body was streamed), and a Readable request body is sent chunked.
 */
export type StreamFetch = (
  url: string | URL,
  init?: Omit<HttpInit, "body"> & { body?: Readable },
) => Promise<StreamResponse>;

/** How connections are made: trusted CAs for https, proxies. Empty: Node's defaults, no proxy. */
export interface HttpTransport {
  /** Replaces Node's CA list for https targets (trust.ts joins Node's roots into it). */
  ca?: readonly string[];
  proxy?: ProxySettings;
}

export interface Http {
  fetch: HttpFetch;
  streamFetch: StreamFetch;
}

/** fetch-like functions over one set of keep-alive agents. */
export function createHttp(transport: HttpTransport = {}): Http {
  const connect = connector(transport);
  return {
    fetch: async (url, init = {}) => {
      const message = await follow(url, init, connect);
      return responseOf(message.statusCode ?? 0, message, await readAll(message));
    },
    streamFetch: async (url, init = {}) => {
      const message = await follow(url, init, connect);
      return { status: message.statusCode ?? 0, headers: headersOf(message), body: message };
    },
  };
}

const plain = createHttp();
export const nodeStreamFetch: StreamFetch = plain.streamFetch;
/** fetch's behaviour where the client relies on it: redirects followed, failures as "fetch failed" with a cause. */
export const nodeFetch: HttpFetch = plain.fetch;

type Body = Uint8Array | string | Readable;
type RequestInit = Omit<HttpInit, "body"> & { body?: Body };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** Sends the request, following redirects; the final response's body is left unread. */
async function follow(url: string | URL, init: RequestInit, connect: Connector): Promise<IncomingMessage> {
  let target = new URL(url);
  let { method = "GET", headers = {}, body } = init;
  for (let hop = 0; ; hop++) {
    const message = await open(target, { method, headers, body, signal: init.signal }, connect);
    const status = message.statusCode ?? 0;
    const location = message.headers.location;
    // A streamed body is gone once sent: its response is the answer.
    if (isStream(body) || !REDIRECTS.has(status) || !location || hop >= MAX_REDIRECTS) return message;
    message.resume();
    const next = new URL(location, target);
    // Blob downloads redirect to storage: credentials stay with the registry that asked for them.
    if (next.host !== target.host) headers = withoutAuthorization(headers);
    if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
    }
    target = next;
  }
}

/** Where and how one request is sent: the URL (or the proxy's), the agent, extra headers. */
type Connector = (url: URL) => { url: URL; path?: string; agent: HttpAgent; headers: Record<string, string> };

function connector(transport: HttpTransport): Connector {
  const ca = transport.ca && [...transport.ca];
  const direct = {
    http: new HttpAgent({ keepAlive: true }),
    https: new HttpsAgent({ keepAlive: true, ...(ca ? { ca } : {}) }),
  };
  const tunnels = new Map<string, HttpsAgent>();
  return (url) => {
    const proxy = transport.proxy && proxyFor(url, transport.proxy);
    if (!proxy) return { url, agent: url.protocol === "https:" ? direct.https : direct.http, headers: {} };
    if (url.protocol === "https:") {
      let agent = tunnels.get(proxy.href);
      if (!agent) {
        agent = new TunnelAgent(proxy, { keepAlive: true, ...(ca ? { ca } : {}) });
        tunnels.set(proxy.href, agent);
      }
      return { url, agent, headers: {} };
    }
    // Plain http through a proxy: the absolute URI as the request target (RFC 9112 3.2.2).
    return {
      url: proxy,
      path: url.href,
      agent: direct.http,
      headers: { Host: url.host, ...proxyAuthorization(proxy) },
    };
  };
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const pair = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { "Proxy-Authorization": `Basic ${Buffer.from(pair).toString("base64")}` };
}

/**
 * An https agent whose connections are CONNECT tunnels through an http proxy; TLS then runs end
 * to end with the registry (the proxy sees only the host name). Sockets are pooled like direct ones.
 */
class TunnelAgent extends HttpsAgent {
  constructor(
    private readonly proxy: URL,
    options: ConstructorParameters<typeof HttpsAgent>[0],
  ) {
    super(options);
  }

  override createConnection(
    options: HttpsRequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): undefined {
    const done = callback ?? (() => {});
    const authority = `${options.host ?? options.hostname}:${options.port ?? 443}`;
    const connect = httpRequest({
      host: this.proxy.hostname.replace(/^\[|\]$/g, ""),
      port: this.proxy.port || 80,
      method: "CONNECT",
      path: authority,
      headers: { Host: authority, ...proxyAuthorization(this.proxy) },
      agent: false,
    });
    connect.once("connect", (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        const err = new Error(
          `the proxy ${this.proxy.host} answered CONNECT ${authority} with HTTP ${res.statusCode}`,
        );
        done(Object.assign(err, { code: "ERR_PROXY_CONNECT" }), socket);
        return;
      }
      done(null, tlsConnect({ ...(options as object), socket, servername: options.servername || undefined }));
    });
    connect.once("error", (err) => done(err, connect.socket as Duplex));
    connect.end();
    return undefined;
  }
}

function open(target: URL, init: RequestInit, connect: Connector): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const body = typeof init.body === "string" ? Buffer.from(init.body) : init.body;
    const stream = isStream(body) ? body : undefined;
    const whole = isStream(body) ? undefined : body;
    const via = connect(target);
    const headers = {
      ...init.headers,
      ...via.headers,
      ...(whole ? { "Content-Length": String(whole.length) } : {}),
    };
    const req = (via.url.protocol === "https:" ? httpsRequest : httpRequest)(
      via.url,
      {
        method: init.method,
        headers,
        signal: init.signal,
        agent: via.agent,
        ...(via.path ? { path: via.path } : {}),
      },
      resolve,
    );
    req.on("error", (err) => {
      stream?.destroy(err);
      reject(failed(err));
    });
    if (!stream) return void req.end(whole);
    stream.on("error", (err: Error) => req.destroy(err));
    stream.pipe(req);
  });
}

function isStream(body: Body | undefined): body is Readable {
  return typeof (body as Readable | undefined)?.pipe === "function";
}

function readAll(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on("data", (c: Buffer) => chunks.push(c));
    message.on("error", (err) => reject(failed(err)));
    message.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

function headersOf(message: IncomingMessage): StreamResponse["headers"] {
  return {
    get: (name) => {
      const value = message.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== "authorization"));
}

function failed(cause: Error): Error {
  return Object.assign(new Error("fetch failed"), { cause });
}

function responseOf(status: number, message: IncomingMessage, data: Buffer): HttpResponse {
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: headersOf(message),
    arrayBuffer: async () => data.buffer.slice(data.byteOffset, data.byteOffset + data.length) as ArrayBuffer,
    json: async () => JSON.parse(data.toString("utf8")),
    text: async () => data.toString("utf8"),
    body: { cancel: async () => {} },
  };
}
