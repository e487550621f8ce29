// The subset of fetch the registry client uses, over node:http(s). Node's global fetch loads and
// compiles undici on first use (about 20 ms of an up-to-date build's 250 ms); node:http is already
// in the startup snapshot. nodeFetch reads bodies whole (manifests, configs, small blobs);
// nodeStreamFetch streams them (layers being recompressed).
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";

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

export const nodeStreamFetch: StreamFetch = async (url, init = {}) => {
  const message = await follow(url, init);
  return { status: message.statusCode ?? 0, headers: headersOf(message), body: message };
};

/** fetch's behaviour where the client relies on it: redirects followed, failures as "fetch failed" with a cause. */
export const nodeFetch: HttpFetch = async (url, init = {}) => {
  const message = await follow(url, init);
  return responseOf(message.statusCode ?? 0, message, await readAll(message));
};

type Body = Uint8Array | string | Readable;
type RequestInit = Omit<HttpInit, "body"> & { body?: Body };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** Sends the request, following redirects; the final response's body is left unread. */
async function follow(url: string | URL, init: RequestInit): Promise<IncomingMessage> {
  let target = new URL(url);
  let { method = "GET", headers = {}, body } = init;
  for (let hop = 0; ; hop++) {
    const message = await open(target, { method, headers, body, signal: init.signal });
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

function open(url: URL, init: RequestInit): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const body = typeof init.body === "string" ? Buffer.from(init.body) : init.body;
    const stream = isStream(body) ? body : undefined;
    const whole = isStream(body) ? undefined : body;
    const headers = whole ? { ...init.headers, "Content-Length": String(whole.length) } : init.headers;
    const req = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      url,
      { method: init.method, headers, signal: init.signal },
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
