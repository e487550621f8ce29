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
 * does), and a Readable request body is streamed (chunked) instead of sent whole.
 */
export type StreamFetch = (
  url: string | URL,
  init?: Omit<HttpInit, "body"> & { body?: Readable },
) => Promise<StreamResponse>;

export const nodeStreamFetch: StreamFetch = async (url, init = {}) => {
  let target = new URL(url);
  let headers = init.headers ?? {};
  for (let hop = 0; ; hop++) {
    const message = await open(target, { ...init, headers });
    const status = message.statusCode ?? 0;
    const location = message.headers.location;
    if (init.body || !REDIRECTS.has(status) || !location || hop >= MAX_REDIRECTS)
      return { status, headers: headersOf(message), body: message };
    message.resume();
    const next = new URL(location, target);
    if (next.host !== target.host) headers = withoutAuthorization(headers);
    target = next;
  }
};

function open(url: URL, init: Omit<HttpInit, "body"> & { body?: Readable }): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      url,
      { method: init.method, headers: init.headers, signal: init.signal },
      resolve,
    );
    req.on("error", (err) => {
      init.body?.destroy(err);
      reject(failed(err));
    });
    if (!init.body) return void req.end();
    init.body.on("error", (err: Error) => req.destroy(err));
    init.body.pipe(req);
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

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** fetch's behaviour where the client relies on it: redirects followed, failures as "fetch failed" with a cause. */
export const nodeFetch: HttpFetch = async (url, init = {}) => {
  let target = new URL(url);
  let { method = "GET", headers = {}, body } = init;
  for (let hop = 0; ; hop++) {
    const res = await send(target, { method, headers, body, signal: init.signal });
    const location = res.message.headers.location;
    if (!REDIRECTS.has(res.status) || !location || hop >= MAX_REDIRECTS) return res.response;
    const next = new URL(location, target);
    // Blob downloads redirect to storage: credentials stay with the registry that asked for them.
    if (next.host !== target.host) headers = withoutAuthorization(headers);
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
    }
    target = next;
  }
};

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== "authorization"));
}

function send(
  url: URL,
  init: HttpInit,
): Promise<{ status: number; message: IncomingMessage; response: HttpResponse }> {
  return new Promise((resolve, reject) => {
    const payload = typeof init.body === "string" ? Buffer.from(init.body) : init.body;
    const headers = { ...init.headers, ...(payload ? { "Content-Length": String(payload.length) } : {}) };
    const req = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      url,
      { method: init.method, headers, signal: init.signal },
      (message) => {
        const chunks: Buffer[] = [];
        message.on("data", (c: Buffer) => chunks.push(c));
        message.on("error", (err) => reject(failed(err)));
        message.on("end", () => {
          const status = message.statusCode ?? 0;
          resolve({ status, message, response: responseOf(status, message, Buffer.concat(chunks)) });
        });
      },
    );
    req.on("error", (err) => reject(failed(err)));
    req.end(payload);
  });
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
