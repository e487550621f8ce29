import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runProcess } from "../../src/core/process.js";
import { DOCKER, RUN_ID } from "./helpers.js";
import {
  forgetRepository,
  LAB_USERS,
  labFetch,
  labToken,
  loopbackMatches,
  PUBLIC_REGISTRY,
  publicRegistryConfigured,
  pushTestImage,
  scanForLoopback,
  sha256Digest,
  storedRepositories,
  tokenClaims,
  untaggedManifests,
  writeDockerConfig,
} from "./support/public-registry.js";

// The simulation itself (scripts/public-registry.sh): before the release and quick-start tests lean
// on it, prove it behaves like GHCR where it matters: TLS from the lab CA, Bearer tokens from the
// token server, anonymous pulls of public repositories only, each user pushing only to its own
// namespace, DELETE refused, and a CONNECT proxy that a push can go through.

const { host, url, realm, service } = PUBLIC_REGISTRY;
const PUBLIC_REPO = `${LAB_USERS.maintainer}/e2e-lab-${RUN_ID}`;
const ALICE_REPO = `${LAB_USERS.alice}/e2e-lab-${RUN_ID}`;
const MANIFEST_ACCEPT = "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json";
const scratch: string[] = [];
const images: string[] = [];

async function dockerAs(configDir: string, args: string[]) {
  const r = await runProcess(DOCKER, args, { env: { DOCKER_CONFIG: configDir } });
  return { code: r.exitCode, output: `${r.stdout}\n${r.stderr}`.trim() };
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

beforeAll(() => {
  expect(publicRegistryConfigured(), "the lab's public registry is not set up: run scripts/infra.sh").toBe(
    true,
  );
});

afterAll(async () => {
  for (const repo of storedRepositories().filter((r) => r.includes(`e2e-lab-${RUN_ID}`)))
    forgetRepository(repo);
  if (images.length > 0) await runProcess(DOCKER, ["rmi", "-f", ...images]);
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe("simulated public registry", () => {
  test("TLS: the lab CA (given, or from the system store) is trusted; without it the handshake fails", async () => {
    const res = await labFetch(`${url}/v2/`);
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toBe(`Bearer realm="${realm}",service="${service}"`);

    await expect(labFetch(`${url}/v2/`, { ca: null })).rejects.toThrow(/certificate|self.signed/i);

    // curl with no CA option uses the system store, where the set-up put the lab CA.
    const curl = await runProcess("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", `${url}/v2/`]);
    expect(curl.stdout.trim()).toBe("401");
    const other = tempDir("lab-other-ca-");
    const otherCa = join(other, "ca.crt");
    writeFileSync(otherCa, tls.rootCertificates[0] ?? "");
    // --capath too: Debian's curl also reads /etc/ssl/certs (SSL_CERT_DIR) next to a --cacert file.
    const refused = await runProcess("curl", [
      "-sS",
      "--cacert",
      otherCa,
      "--capath",
      other,
      "-o",
      "/dev/null",
      `${url}/v2/`,
    ]);
    expect(refused.exitCode).not.toBe(0);

    // The certificate names the host, on the address /etc/hosts gives it.
    const san = await new Promise<string>((resolve, reject) => {
      const s = tls.connect(
        { host, port: 443, servername: host, ca: readFileSync(PUBLIC_REGISTRY.caPath) },
        () => {
          resolve(`${s.remoteAddress} ${s.getPeerCertificate().subjectaltname}`);
          s.end();
        },
      );
      s.on("error", reject);
    });
    expect(san).toBe(`${PUBLIC_REGISTRY.address} DNS:${host}`);
  });

  test("anonymous: a pull token for ml-buildpacks/* reads what the maintainer pushed; pushing is refused", async () => {
    const maintainer = await labToken([`repository:${PUBLIC_REPO}:pull,push`], LAB_USERS.maintainer);
    expect(tokenClaims(maintainer).sub).toBe(LAB_USERS.maintainer);
    const pushed = await pushTestImage(PUBLIC_REPO, { token: maintainer, reference: "1" });
    expect(pushed.statuses).toEqual([202, 201, 202, 201, 201]);

    const anonymous = await labToken([`repository:${PUBLIC_REPO}:pull,push`]);
    expect(tokenClaims(anonymous).access).toEqual([
      { type: "repository", name: PUBLIC_REPO, actions: ["pull"] },
    ]);
    const got = await labFetch(`${url}/v2/${PUBLIC_REPO}/manifests/1`, {
      headers: { Authorization: `Bearer ${anonymous}`, Accept: MANIFEST_ACCEPT },
    });
    expect(got.status).toBe(200);
    expect(got.headers["docker-content-digest"]).toBe(pushed.digest);

    const refused = await pushTestImage(PUBLIC_REPO, { token: anonymous, reference: "anonymous" });
    expect(refused.statuses).toEqual([401]);
    // No token at all, and an anonymous token for a repository outside the public namespace.
    const bare = await labFetch(`${url}/v2/${PUBLIC_REPO}/manifests/1`, {
      headers: { Accept: MANIFEST_ACCEPT },
    });
    expect(bare.status).toBe(401);
    expect(tokenClaims(await labToken([`repository:${ALICE_REPO}:pull`])).access).toEqual([]);
  });

  test("docker: alice pushes to alice/*, not to ml-buildpacks/*, and pulls public images; anonymous pulls too", async () => {
    const alice = writeDockerConfig(LAB_USERS.alice, tempDir("lab-alice-"));
    const maintainer = writeDockerConfig(LAB_USERS.maintainer, tempDir("lab-maintainer-"));
    const anonymous = writeDockerConfig(undefined, tempDir("lab-anonymous-"));

    const mine = `${host}/${ALICE_REPO}:1`;
    const published = `${host}/${PUBLIC_REPO}:docker`;
    const intruding = `${host}/${PUBLIC_REPO}:from-alice`;
    images.push(mine, published, intruding);
    const dir = tempDir("lab-ctx-");
    writeFileSync(join(dir, "Dockerfile"), "FROM scratch\nCOPY hello.txt /\n");
    writeFileSync(join(dir, "hello.txt"), `hello from ${RUN_ID}\n`);
    const build = await runProcess(DOCKER, ["build", "--network", "host", "-q", "-t", mine, dir], {
      env: { DOCKER_BUILDKIT: "1" },
    });
    expect(build.exitCode, build.stderr).toBe(0);
    expect((await runProcess(DOCKER, ["tag", mine, published])).exitCode).toBe(0);
    expect((await runProcess(DOCKER, ["tag", mine, intruding])).exitCode).toBe(0);

    const push = await dockerAs(alice, ["push", mine]);
    expect(push.code, push.output).toBe(0);
    const denied = await dockerAs(alice, ["push", intruding]);
    expect(denied.code).not.toBe(0);
    expect(denied.output).toMatch(/denied|unauthorized/);

    const maintainerPush = await dockerAs(maintainer, ["push", published]);
    expect(maintainerPush.code, maintainerPush.output).toBe(0);
    expect((await runProcess(DOCKER, ["rmi", published])).exitCode).toBe(0);
    const alicePull = await dockerAs(alice, ["pull", published]);
    expect(alicePull.code, alicePull.output).toBe(0);
    expect((await runProcess(DOCKER, ["rmi", published])).exitCode).toBe(0);
    const anonymousPull = await dockerAs(anonymous, ["pull", published]);
    expect(anonymousPull.code, anonymousPull.output).toBe(0);
    const anonymousPush = await dockerAs(anonymous, ["push", published]);
    expect(anonymousPush.code).not.toBe(0);
    // alice's repository is not public.
    const anonymousPrivate = await dockerAs(anonymous, ["pull", mine]);
    expect(anonymousPrivate.code).not.toBe(0);
  });

  test("DELETE of a manifest answers 405, for its owner too, and the manifest stays", async () => {
    const token = await labToken([`repository:${PUBLIC_REPO}:pull,push,delete`], LAB_USERS.maintainer);
    expect(tokenClaims(token).access[0]?.actions).toContain("delete");
    const pushed = await pushTestImage(PUBLIC_REPO, { token, reference: "to-delete" });
    expect(pushed.digest).not.toBe("");
    const del = await labFetch(`${url}/v2/${PUBLIC_REPO}/manifests/${pushed.digest}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(del.status).toBe(405);
    expect(JSON.parse(del.body.toString()).errors[0].code).toBe("UNSUPPORTED");
    const still = await labFetch(`${url}/v2/${PUBLIC_REPO}/manifests/to-delete`, {
      headers: { Authorization: `Bearer ${token}`, Accept: MANIFEST_ACCEPT },
    });
    expect(still.status).toBe(200);
  });

  test("a push through the CONNECT proxy shows in the proxy's log", async () => {
    const before = statSync(PUBLIC_REGISTRY.proxyLog).size;
    const proxy = PUBLIC_REGISTRY.proxyUrl;
    const token = await labToken([`repository:${ALICE_REPO}:pull,push`], LAB_USERS.alice, proxy);
    const pushed = await pushTestImage(ALICE_REPO, { token, reference: "proxied", proxy });
    expect(pushed.statuses.at(-1)).toBe(201);
    const log = readFileSync(PUBLIC_REGISTRY.proxyLog).subarray(before).toString("utf8");
    expect(log).toContain(`CONNECT ${host}:5001 `);
    expect(log).toContain(`CONNECT ${host}:443 `);
    // The proxy refuses tunnels to other ports (ConnectPort 443 and 5001 only).
    await expect(labFetch(`https://${host}:5002/token/`, { proxy })).rejects.toThrow(/CONNECT.*403/);
  });

  test("storage: untagged manifests and loopback names are found", async () => {
    const repo = `${ALICE_REPO}-storage`;
    const token = await labToken([`repository:${repo}:pull,push`], LAB_USERS.alice);
    const tagged = await pushTestImage(repo, { token, reference: "clean", content: "clean\n" });
    const untagged = await pushTestImage(repo, {
      token,
      content: "leaky\n",
      config: { config: { Labels: { "x.registry": "127.0.0.1:5000/x" }, Env: ["NO_PROXY=localhost,[::1]"] } },
    });
    expect(tagged.digest).not.toBe("");
    expect(untagged.digest).not.toBe("");
    expect(untaggedManifests({ repository: repo })).toEqual([
      { repository: repo, digest: untagged.digest, mediaType: "application/vnd.oci.image.manifest.v1+json" },
    ]);

    const hits = scanForLoopback({ repository: repo });
    expect(hits.map((h) => [h.kind, h.digest, h.match])).toEqual([
      ["config", untagged.configDigest, "127.0.0.1"],
      ["config", untagged.configDigest, "localhost"],
      ["config", untagged.configDigest, "::1"],
    ]);

    // A tagged index keeps its children: the formerly untagged manifest is now reachable.
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: [
          {
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            digest: untagged.digest,
            size: 1,
            platform: { os: "linux", architecture: "amd64" },
          },
        ],
      }),
    );
    const put = await labFetch(`${url}/v2/${repo}/manifests/index`, {
      method: "PUT",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/vnd.oci.image.index.v1+json",
      },
      body: index,
    });
    expect(put.status, put.body.toString()).toBe(201);
    expect(put.headers["docker-content-digest"]).toBe(sha256Digest(index));
    expect(untaggedManifests({ repository: repo })).toEqual([]);
    expect(untaggedManifests({ prefix: `${LAB_USERS.alice}/e2e-lab-${RUN_ID}` })).toEqual([]);
  });

  test("loopback matching: names, not look-alikes", () => {
    const found = (text: string) => loopbackMatches(text).map((m) => m.match);
    expect(found("http://127.0.0.1:5000/x and 127.1.2.3")).toEqual(["127.0.0.1", "127.1.2.3"]);
    expect(found("LOCALHOST:5000 [::1]:80")).toEqual(["LOCALHOST", "::1"]);
    expect(found("localhostname fe80::1a 10.0.0.1 ghcr.io/ml-buildpacks sha256:1127")).toEqual([]);
  });
});
