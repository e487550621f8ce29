import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MlBuildpacksError } from "../../src/core/errors.js";
import type { Logger } from "../../src/core/log.js";
import { createIndex, parseChildSpec } from "../../src/core/manifest.js";
import { OCI_MANIFEST, RegistryClient, sha256 } from "../../src/core/registry/client.js";
import { cli } from "./helpers.js";

// The registry client and `manifest create` against Debian's real docker-registry with htpasswd auth.
const PORT = 5051;
const REG = `127.0.0.1:${PORT}`;
const USER = "ci";
const PASSWORD = "s3cret-for-tests";
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
const client = (pass = PASSWORD) =>
  new RegistryClient(REG, { auth: { [REG]: basic(USER, pass) }, backoff: [100] });
const quiet: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
  output: () => {},
  group: (_title, fn) => fn(),
};

let registry: ChildProcess;
let work: string;

/** Pushes a real one-layer image (gzip'd tar) whose config says os/arch; returns its manifest digest. */
async function pushImage(repository: string, architecture: string, content = architecture): Promise<string> {
  const dir = mkdtempSync(join(work, "layer-"));
  writeFileSync(join(dir, "arch.txt"), `${content}\n`);
  const layer = execFileSync("tar", ["-C", dir, "-czf", "-", "arch.txt"]);
  const diffId = sha256(execFileSync("tar", ["-C", dir, "-cf", "-", "arch.txt"]));
  const config = Buffer.from(
    JSON.stringify({ architecture, os: "linux", rootfs: { type: "layers", diff_ids: [diffId] }, config: {} }),
  );
  const c = client();
  await c.uploadBlob(repository, layer);
  await c.uploadBlob(repository, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: sha256(config),
        size: config.length,
      },
      layers: [
        {
          mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
          digest: sha256(layer),
          size: layer.length,
        },
      ],
    }),
  );
  return c.putManifest(repository, `build-${architecture}`, manifest, OCI_MANIFEST);
}

async function tagExists(repository: string, tag: string): Promise<boolean> {
  return (await client().getManifest(repository, tag)) !== undefined;
}

async function errorOf(promise: Promise<unknown>): Promise<MlBuildpacksError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MlBuildpacksError) return err;
    throw err;
  }
  throw new Error("expected an error");
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "registry-auth-"));
  mkdirSync(join(work, "data"));
  writeFileSync(join(work, "htpasswd"), execFileSync("htpasswd", ["-Bbn", USER, PASSWORD]));
  writeFileSync(
    join(work, "config.yml"),
    [
      "version: 0.1",
      "log: { level: warn }",
      `storage: { filesystem: { rootdirectory: ${join(work, "data")} }, delete: { enabled: true } }`,
      `http: { addr: "${REG}" }`,
      `auth: { htpasswd: { realm: ml-buildpacks-tests, path: ${join(work, "htpasswd")} } }`,
      "",
    ].join("\n"),
  );
  registry = spawn("docker-registry", ["serve", join(work, "config.yml")], { stdio: "ignore" });
  for (let i = 0; i < 50; i++) {
    const status = await fetch(`http://${REG}/v2/`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 401) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the test registry did not come up");
});

afterAll(() => {
  registry?.kill();
});

describe("registry client and manifest lists against a registry with htpasswd auth", () => {
  test("a wrong password is a clear error", async () => {
    const err = await errorOf(client("wrong").getManifest("team/app", "latest"));
    expect(err.title).toBe(`the registry ${REG} refused our credentials to pull from team/app (HTTP 401)`);
    expect(err.hint).toContain(`docker login ${REG}`);
  });

  test("an index of amd64 and arm64 images from other repositories lists exactly those, with their digests", async () => {
    const amd64 = await pushImage("team/app-amd64", "amd64");
    const arm64 = await pushImage("team/app-arm64", "arm64");
    const result = await createIndex(
      `${REG}/team/app:1.0`,
      [
        parseChildSpec(`linux/amd64=${REG}/team/app-amd64@${amd64}`),
        parseChildSpec(`linux/arm64=${REG}/team/app-arm64@${arm64}`),
      ],
      { clientFor: () => client(), log: quiet },
    );
    const index = await client().getManifest("team/app", "1.0");
    expect(index?.digest).toBe(result.digest);
    expect(index?.body.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    expect(index?.body.manifests?.map((m) => [m.platform?.architecture, m.digest])).toEqual([
      ["amd64", amd64],
      ["arm64", arm64],
    ]);
    // The children were copied in (blob mounts): each resolves in the index's repository.
    expect((await client().getManifest("team/app", arm64))?.digest).toBe(arm64);
  });

  test("a missing child digest stops the push: the tag is never written", async () => {
    const amd64 = await pushImage("team/missing", "amd64");
    const absent = sha256("no such manifest");
    const err = await errorOf(
      createIndex(
        `${REG}/team/missing:1.0`,
        [parseChildSpec(`${REG}/team/missing@${amd64}`), parseChildSpec(`${REG}/team/missing@${absent}`)],
        {
          clientFor: () => client(),
          log: quiet,
        },
      ),
    );
    expect(err.title).toBe(`the image ${REG}/team/missing@${absent} does not exist in its registry`);
    expect(await tagExists("team/missing", "1.0")).toBe(false);
  });

  test("an arch mismatch is refused before anything is pushed", async () => {
    const arm64 = await pushImage("team/mismatch", "arm64");
    const err = await errorOf(
      createIndex(`${REG}/team/mismatch:1.0`, [parseChildSpec(`linux/amd64=${REG}/team/mismatch@${arm64}`)], {
        clientFor: () => client(),
        log: quiet,
      }),
    );
    expect(err.title).toBe(`${REG}/team/mismatch@${arm64} is a linux/arm64 image, not linux/amd64`);
    expect(await tagExists("team/mismatch", "1.0")).toBe(false);
  });

  test("two images of one platform are refused", async () => {
    const a = await pushImage("team/dupe", "amd64", "first");
    const b = await pushImage("team/dupe", "amd64", "second");
    const err = await errorOf(
      createIndex(
        `${REG}/team/dupe:1.0`,
        [parseChildSpec(`${REG}/team/dupe@${a}`), parseChildSpec(`${REG}/team/dupe@${b}`)],
        {
          clientFor: () => client(),
          log: quiet,
        },
      ),
    );
    expect(err.title).toBe("the manifest list would hold a linux/amd64 image twice");
    expect(await tagExists("team/dupe", "1.0")).toBe(false);
  });

  test("the CLI reads credentials from the docker config and prints the index digest", async () => {
    const amd64 = await pushImage("team/cli", "amd64");
    const arm64 = await pushImage("team/cli", "arm64");
    const dockerConfig = mkdtempSync(join(work, "docker-config-"));
    writeFileSync(
      join(dockerConfig, "config.json"),
      JSON.stringify({ auths: { [REG]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString("base64") } } }),
    );
    const result = await cli(
      [
        "manifest",
        "create",
        "--image",
        `${REG}/team/cli:2.0`,
        "--from",
        `linux/amd64=${REG}/team/cli@${amd64}`,
        "--from",
        `linux/arm64=${REG}/team/cli@${arm64}`,
      ],
      { DOCKER_CONFIG: dockerConfig, CNB_REGISTRY_AUTH: "" },
    );
    expect(result.code, result.output).toBe(0);
    const index = await client().getManifest("team/cli", "2.0");
    expect(result.output.trim().split("\n").at(-1)).toBe(index?.digest);
    expect(result.output).not.toContain(PASSWORD);

    const wrong = mkdtempSync(join(work, "docker-config-"));
    writeFileSync(
      join(wrong, "config.json"),
      JSON.stringify({ auths: { [REG]: { auth: Buffer.from(`${USER}:nope`).toString("base64") } } }),
    );
    const refused = await cli(
      ["manifest", "create", "--image", `${REG}/team/cli:3.0`, "--from", `${REG}/team/cli@${amd64}`],
      {
        DOCKER_CONFIG: wrong,
        CNB_REGISTRY_AUTH: "",
      },
    );
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(
      `the registry ${REG} refused our credentials to pull from team/cli (HTTP 401)`,
    );
  });
});
