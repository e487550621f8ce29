// The registry client under registry faults (a real HTTP registry in-process, faults injected):
// every kind of request is retried, an upload restarts its session, a commit whose answer was lost
// counts when the blob is there, and a registry that goes away is a clear error.
import { afterAll, beforeAll, expect, test } from "vitest";
import { RegistryClient, sha256 } from "../../../src/core/registry/client.js";
import { TestRegistry } from "./registry-server.js";

let registry: TestRegistry;

beforeAll(async () => {
  registry = await new TestRegistry({ auth: "none" }, undefined).start();
});

afterAll(() => registry.stop());

const waits: number[] = [];
const client = () =>
  new RegistryClient(registry.name, {
    insecureRegistries: [registry.name],
    env: {},
    backoff: [10, 20, 40],
    sleep: async (ms) => void waits.push(ms),
  });

const on = (method: string, repo: string, part: string) => (m: string, url: string) =>
  m === method && url.startsWith(`/v2/${repo}/${part}`);

test("a small blob: a dropped PATCH and a 503 on the POST start new sessions; the blob lands", async () => {
  registry.faults.push({ match: on("POST", "team/small", "blobs/uploads"), answer: { status: 503 } });
  registry.faults.push({ match: on("PATCH", "team/small", "blobs/uploads"), answer: "reset" });
  const data = Buffer.from("config blob");
  expect(await client().uploadBlob("team/small", data)).toBe(sha256(data));
  expect(registry.blobs.get(`team/small@${sha256(data)}`)?.size).toBe(data.length);
  expect(registry.faults).toHaveLength(0);
});

test("the commit PUT's answer is lost after the registry stored the blob: the blob is there, so done", async () => {
  registry.faults.push({
    match: (m, url) => m === "PUT" && url.startsWith("/v2/team/lost/blobs/uploads/"),
    answer: "lost",
  });
  const data = Buffer.from("layer whose commit answer is lost");
  expect(await client().uploadBlob("team/lost", data)).toBe(sha256(data));
  expect(registry.blobs.has(`team/lost@${sha256(data)}`)).toBe(true);
  expect(registry.faults).toHaveLength(0);
});

test("a manifest PUT answered 503 twice (Retry-After honoured) is retried, then tagged", async () => {
  waits.length = 0;
  const c = client();
  const config = Buffer.from("{}");
  await c.uploadBlob("team/m", config);
  const raw = Buffer.from(
    JSON.stringify({ schemaVersion: 2, config: { digest: sha256(config), size: config.length }, layers: [] }),
  );
  registry.faults.push({
    match: on("PUT", "team/m", "manifests"),
    answer: { status: 503, headers: { "retry-after": "2" } },
  });
  registry.faults.push({ match: on("PUT", "team/m", "manifests"), answer: { status: 503 } });
  expect(await c.putManifest("team/m", "1", raw, "application/vnd.oci.image.manifest.v1+json")).toBe(
    sha256(raw),
  );
  expect(waits).toEqual([2000, 20]);
  expect(registry.manifests.has("team/m:1")).toBe(true);
});

test("a registry that goes away after answering: 'stopped answering', with the attempts, and nothing tagged", async () => {
  const gone = await new TestRegistry({ auth: "none" }, undefined).start();
  const c = new RegistryClient(gone.name, {
    insecureRegistries: [gone.name],
    env: {},
    backoff: [1, 1, 1],
    sleep: async () => {},
  });
  await c.blobExists("team/app", "sha256:00");
  await gone.stop();
  const err = (await c
    .putManifest("team/app", "1", Buffer.from("{}"), "application/vnd.oci.image.index.v1+json")
    .catch((e: unknown) => e)) as Error & { hint: string };
  expect(err.message).toBe(
    `the registry ${gone.name} stopped answering while we tried to push to team/app (4 attempts)`,
  );
  expect(err.hint).toMatch(/nothing was tagged by this step/);
});

test("errorAnswer: the registry's error body for a GET the exporter's HEAD got a bodyless 5xx for", async () => {
  const data = Buffer.from("a blob that is there");
  const digest = await client().uploadBlob("team/probe", data);
  const full = '{"errors":[{"code":"UNKNOWN","message":"unknown error","detail":{"Err":28}}]}';
  registry.faults.push({ match: on("GET", "team/probe", "blobs"), answer: { status: 500, body: full } });
  expect(await client().errorAnswer(`/v2/team/probe/blobs/${digest}`)).toBe(`HTTP 500: ${full}`);
  // One attempt: the fault was used once, the GET was not retried.
  expect(registry.faults).toHaveLength(0);
  expect(await client().errorAnswer(`/v2/team/probe/blobs/${digest}`)).toBeUndefined();
  expect(await client().errorAnswer("/v2/_catalog")).toBeUndefined();
});

test("uploadAnswer: a registry that cannot start an upload says why; one that can keeps no session", async () => {
  const full =
    '{"errors":[{"code":"UNKNOWN","detail":"write _uploads/x/startedat: no space left on device"}]}';
  registry.faults.push({
    match: on("POST", "team/up", "blobs/uploads"),
    answer: { status: 500, body: full },
  });
  expect(await client().uploadAnswer("team/up")).toBe(`HTTP 500: ${full}`);
  expect(registry.faults).toHaveLength(0);
  expect(await client().uploadAnswer("team/up")).toBeUndefined();
  expect([...registry.uploads.values()].filter((u) => u.repo === "team/up")).toEqual([]);
});
