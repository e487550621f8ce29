// Where pre-export finds the build's CA bundle (--ca-certs): the docker executor mounts it over the
// system bundle of every phase container, pre-export's too; the local executor runs pre-export on
// this host, where the file is.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { BuilderInfo } from "../../../src/core/builder/inspect.js";
import type { Docker } from "../../../src/core/docker.js";
import { DockerExecutor, phaseDockerArgs } from "../../../src/core/executor/docker.js";
import { LocalExecutor } from "../../../src/core/executor/local.js";
import { preExportSpec } from "../../../src/core/lifecycle/phases.js";
import { PRE_EXPORT_ENTRY } from "../../../src/core/pre-export/contract.js";

const root = mkdtempSync(join(tmpdir(), "pre-export-runner-"));
/** Executors make scratch dirs when constructed: cleaned up at the end. */
const made: (DockerExecutor | LocalExecutor)[] = [];
afterAll(async () => {
  for (const e of made) await e.cleanup();
  rmSync(root, { recursive: true, force: true });
});
const dist = join(root, "dist-pre-export");
mkdirSync(dist);
writeFileSync(join(dist, PRE_EXPORT_ENTRY), "");

const builder = { ref: "builder", platform: "linux/amd64", uid: 1000, gid: 1000 } as BuilderInfo;

function docker(caCerts: string | undefined): DockerExecutor {
  const removeVolumes = async () => {};
  const executor = new DockerExecutor({
    docker: { removeVolumes } as unknown as Docker,
    builder,
    appDir: root,
    cacheDir: undefined,
    buildEnv: {},
    caCerts,
    platformApi: "0.14",
    secretEnv: {},
    preExportDir: dist,
  });
  made.push(executor);
  return executor;
}

function local(caCerts: string | undefined): LocalExecutor {
  const executor = new LocalExecutor({
    run: async () => ({ exitCode: 0, stdout: "", stderr: "" }),
    log: { info: () => {}, warn: () => {} },
    uid: 1000,
    gid: 1000,
    appDir: root,
    cacheDir: undefined,
    buildEnv: {},
    caCerts,
    platformApi: "0.14",
    secretEnv: {},
    layersDir: join(root, "layers"),
    workspaceDir: join(root, "ws"),
    currentUid: 0,
    env: {},
    preExportDir: dist,
  });
  made.push(executor);
  return executor;
}

describe("the CA bundle pre-export is told about", () => {
  test("docker: the system bundle path in the container, where phaseDockerArgs mounts the file", () => {
    const runner = docker("certs/ca.pem").preExport;
    expect(runner?.caCerts).toBe("/etc/ssl/certs/ca-certificates.crt");
    const args = phaseDockerArgs(preExportSpec(["node", runner?.entry ?? ""]), {
      builderRef: "builder",
      platform: "linux/amd64",
      uid: 1000,
      gid: 1000,
      layersVolume: "layers",
      workspaceVolume: "ws",
      platformDir: "/p",
      outDir: "/o",
      cacheDir: undefined,
      caCerts: resolve("certs/ca.pem"),
      dockerSocket: "/var/run/docker.sock",
      platformApi: "0.14",
      secretEnvNames: [],
      name: "n",
      preExportDir: dist,
    });
    expect(args.join(" ")).toContain(`-v ${resolve("certs/ca.pem")}:${runner?.caCerts}:ro`);
  });

  test("local: the file itself, as an absolute path", () => {
    expect(local("certs/ca.pem").preExport?.caCerts).toBe(resolve("certs/ca.pem"));
  });

  test("none given: none (pre-export trusts the system store)", () => {
    expect(docker(undefined).preExport?.caCerts).toBeUndefined();
    expect(local(undefined).preExport?.caCerts).toBeUndefined();
    expect(docker(undefined).preExport?.entry).toBeDefined();
  });
});
