import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, expect, test } from "vitest";
import { nodeFetch, nodeStreamFetch } from "../../../src/core/registry/http.js";

const seen: { url: string; method: string; auth: string | undefined; body: string }[] = [];
let server: Server;
let base: string;
/** The same server under another host name: a redirect there is a redirect to another host. */
let otherHost: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({
        url: req.url ?? "",
        method: req.method ?? "",
        auth: req.headers.authorization,
        body: Buffer.concat(chunks).toString(),
      });
      if (req.url === "/blob") {
        res.writeHead(307, { location: `${otherHost}/storage/blob` }).end();
      } else if (req.url === "/storage/blob") {
        res.writeHead(200, { "docker-content-digest": "sha256:abc" }).end("layer bytes");
      } else if (req.url === "/see-other") {
        res.writeHead(303, { location: "/storage/blob" }).end();
      } else if (req.url === "/upload") {
        res.writeHead(201, { location: "/v2/x" }).end();
      } else {
        res.writeHead(404).end("not here");
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  otherHost = `http://localhost:${port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

test("follows a redirect to storage without the registry's credentials", async () => {
  seen.length = 0;
  const res = await nodeFetch(`${base}/blob`, { headers: { Authorization: "Bearer secret" } });
  expect(res.status).toBe(200);
  expect(res.ok).toBe(true);
  expect(res.headers.get("Docker-Content-Digest")).toBe("sha256:abc");
  expect(Buffer.from(await res.arrayBuffer()).toString()).toBe("layer bytes");
  expect(seen.map((s) => [s.url, s.auth])).toEqual([
    ["/blob", "Bearer secret"],
    ["/storage/blob", undefined],
  ]);
});

test("sends bodies with their length and reports status and headers as fetch does", async () => {
  seen.length = 0;
  const put = await nodeFetch(`${base}/upload`, { method: "PUT", body: new Uint8Array([104, 105]) });
  expect(put.status).toBe(201);
  expect(put.headers.get("location")).toBe("/v2/x");
  expect(put.headers.get("x-missing")).toBeNull();
  expect(seen[0]).toMatchObject({ method: "PUT", body: "hi" });
  const missing = await nodeFetch(`${base}/nothing`);
  expect(missing.ok).toBe(false);
  expect(await missing.text()).toBe("not here");
});

test("a refused connection fails like fetch: 'fetch failed' with the socket error as cause", async () => {
  const err = await nodeFetch("http://127.0.0.1:1/v2/").catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).message).toBe("fetch failed");
  expect((err as Error & { cause?: { code?: string } }).cause?.code).toBe("ECONNREFUSED");
});

test("streams: a request body in chunks, a redirected response body unread", async () => {
  seen.length = 0;
  const chunks = ["part one, ", "part two"];
  const put = await nodeStreamFetch(`${base}/upload`, { method: "PATCH", body: Readable.from(chunks) });
  put.body.resume();
  expect(put.status).toBe(201);
  expect(seen[0]).toMatchObject({ method: "PATCH", body: "part one, part two" });
  const got = await nodeStreamFetch(`${base}/blob`, { headers: { Authorization: "Bearer s" } });
  expect(got.status).toBe(200);
  const body: Buffer[] = [];
  for await (const c of got.body) body.push(c as Buffer);
  expect(Buffer.concat(body).toString()).toBe("layer bytes");
  expect(seen.slice(1).map((s) => s.auth)).toEqual(["Bearer s", undefined]);
});

test("a 303 answer to a POST is followed with a GET and no body; a streamed body is never sent twice", async () => {
  seen.length = 0;
  const res = await nodeFetch(`${base}/see-other`, { method: "POST", body: "form" });
  expect(await res.text()).toBe("layer bytes");
  expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
    ["POST", "/see-other", "form"],
    ["GET", "/storage/blob", ""],
  ]);

  seen.length = 0;
  const streamed = await nodeStreamFetch(`${base}/see-other`, { method: "POST", body: Readable.from(["x"]) });
  streamed.body.resume();
  expect(streamed.status).toBe(303);
  expect(seen.map((s) => s.url)).toEqual(["/see-other"]);
});
