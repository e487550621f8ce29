import { expect, test } from "vitest";
import { type Fetch, RegistryClient } from "../../../src/core/registry/client.js";

/** A scripted fetch: answers in order, records what was asked. */
function scripted(answers: (() => Response)[]) {
  const calls: { url: string; auth: string | undefined }[] = [];
  const fetchFn: Fetch = async (url, init) => {
    const headers = new Headers(init?.headers);
    calls.push({ url: String(url), auth: headers.get("authorization") ?? undefined });
    const next = answers.shift();
    if (!next) throw new Error("unexpected request");
    return next();
  };
  return { fetchFn, calls };
}

const manifest = () =>
  new Response('{"schemaVersion":2,"layers":[]}', {
    status: 200,
    headers: { "docker-content-digest": "sha256:x" },
  });

test("retries 5xx and 429 with backoff, honouring Retry-After", async () => {
  const sleeps: number[] = [];
  const { fetchFn, calls } = scripted([
    () => new Response("busy", { status: 503 }),
    () => new Response("slow down", { status: 429, headers: { "retry-after": "2" } }),
    manifest,
  ]);
  const client = new RegistryClient("127.0.0.1:5000", {
    fetch: fetchFn,
    backoff: [10, 20, 30],
    sleep: async (ms) => void sleeps.push(ms),
  });
  expect((await client.getManifest("a/b", "1"))?.digest).toBe("sha256:x");
  expect(calls).toHaveLength(3);
  expect(sleeps).toEqual([10, 2000]);
});

test("follows a Bearer challenge with the Basic credential and reuses the token", async () => {
  const { fetchFn, calls } = scripted([
    () =>
      new Response("", {
        status: 401,
        headers: { "www-authenticate": 'Bearer realm="https://auth.example/token",service="reg"' },
      }),
    () => Response.json({ token: "t0k" }),
    manifest,
    manifest,
  ]);
  const client = new RegistryClient("reg.example", { fetch: fetchFn, auth: { "reg.example": "Basic dTpw" } });
  await client.getManifest("a/b", "1");
  await client.getManifest("a/b", "2");
  expect(calls[1]?.url).toBe("https://auth.example/token?service=reg&scope=repository%3Aa%2Fb%3Apull");
  expect(calls[1]?.auth).toBe("Basic dTpw");
  expect(calls[2]?.auth).toBe("Bearer t0k");
  expect(calls[3]?.auth).toBe("Bearer t0k");
});

test("gives up after the backoff schedule with the registry's status", async () => {
  const { fetchFn } = scripted([
    () => new Response("down", { status: 500 }),
    () => new Response("down", { status: 500 }),
  ]);
  const client = new RegistryClient("127.0.0.1:5000", {
    fetch: fetchFn,
    backoff: [1],
    sleep: async () => {},
  });
  await expect(client.getManifest("a/b", "1")).rejects.toThrow(
    /refused to read manifest a\/b@1 \(HTTP 500\)/,
  );
});

test("deleteManifest: deleted only when the registry deleted; 404 is not found; a refusal is a reason, never a throw", async () => {
  const { fetchFn, calls } = scripted([
    () => new Response(null, { status: 202 }),
    () => new Response("", { status: 404 }),
    () => new Response('{"errors":[{"code":"UNSUPPORTED"}]}', { status: 405 }),
    () => new Response("", { status: 403 }),
  ]);
  const client = new RegistryClient("127.0.0.1:5000", { fetch: fetchFn, backoff: [] });
  expect(await client.deleteManifest("a/b", "sha256:s")).toEqual({ deleted: true, status: 202 });
  expect(calls[0]?.url).toBe("http://127.0.0.1:5000/v2/a/b/manifests/sha256:s");
  expect(await client.deleteManifest("a/b", "sha256:s")).toEqual({
    deleted: false,
    why: "not found",
    status: 404,
  });
  expect(await client.deleteManifest("a/b", "sha256:s")).toEqual({
    deleted: false,
    why: "HTTP 405",
    status: 405,
  });
  const refused = await client.deleteManifest("a/b", "sha256:s");
  expect(refused.deleted).toBe(false);
  expect(refused.why).toMatch(/refused to let us delete manifests in a\/b without credentials \(HTTP 403\)/);
});
