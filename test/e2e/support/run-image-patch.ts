// Reading images straight from the lab registry, and patching its run image: what rebase.test.ts and
// signing.test.ts rebase onto.
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { cli, docker, REGISTRY } from "../helpers.js";

export const INDEX = "application/vnd.oci.image.index.v1+json";
const MANIFEST =
  "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json";
export const LAB_RUN = `${REGISTRY}/ml-buildpacks/run:cpu`;

export type Arch = "amd64" | "arm64";

export interface Manifest {
  manifests?: { digest: string; platform: { os: string; architecture: string } }[];
  config?: { digest: string };
  layers?: { digest: string }[];
}
export interface Config {
  architecture: string;
  rootfs: { diff_ids: string[] };
  config: { Labels: Record<string, string> };
}

export async function manifest(
  repo: string,
  ref: string,
  accept = MANIFEST,
): Promise<{ digest: string; body: Manifest }> {
  const res = await fetch(`http://${REGISTRY}/v2/${repo}/manifests/${ref}`, { headers: { Accept: accept } });
  expect(res.ok, `${repo}:${ref}`).toBe(true);
  return { digest: res.headers.get("docker-content-digest") as string, body: (await res.json()) as Manifest };
}

export async function config(repo: string, m: Manifest): Promise<Config> {
  const res = await fetch(`http://${REGISTRY}/v2/${repo}/blobs/${m.config?.digest}`);
  return (await res.json()) as Config;
}

/** The index's child per arch, by digest. */
export async function children(repo: string, tag: string): Promise<Record<string, string>> {
  const index = await manifest(repo, tag, INDEX);
  return Object.fromEntries((index.body.manifests ?? []).map((m) => [m.platform.architecture, m.digest]));
}

/**
 * A patched run image: the lab's, per arch, plus one small file layer (/etc/ml-buildpacks-patch);
 * each arch pushed as REPOSITORY:TAG-NAME-ARCH, the list as REPOSITORY:TAG. Resolves to each arch's digest.
 */
export async function patchRunImage(
  work: string,
  o: { repository: string; tag: string; name: string; content: string; arches: readonly Arch[] },
): Promise<Record<Arch, string>> {
  const labChildren = await children("ml-buildpacks/run", "cpu");
  const digests = {} as Record<Arch, string>;
  for (const arch of o.arches) {
    const ctx = mkdtempSync(join(work, `patch-${arch}-`));
    writeFileSync(join(ctx, "patch"), o.content);
    writeFileSync(
      join(ctx, "Dockerfile"),
      `FROM ${LAB_RUN.replace(/:cpu$/, "")}@${labChildren[arch]}\nCOPY patch /etc/ml-buildpacks-patch\n`,
    );
    const archTag = `${o.tag}-${o.name}-${arch}`;
    const ref = `${REGISTRY}/${o.repository}:${archTag}`;
    const built = await docker(["build", "--network", "host", "--platform", `linux/${arch}`, "-t", ref, ctx]);
    expect(built.code, built.output).toBe(0);
    const pushed = await docker(["push", ref]);
    expect(pushed.code, pushed.output).toBe(0);
    digests[arch] = (await manifest(o.repository, archTag)).digest;
    const cfg = await config(o.repository, (await manifest(o.repository, digests[arch])).body);
    expect(cfg.architecture).toBe(arch);
  }
  const listed = await cli([
    "manifest",
    "create",
    "--image",
    `${REGISTRY}/${o.repository}:${o.tag}`,
    ...o.arches.flatMap((arch) => ["--from", `linux/${arch}=${REGISTRY}/${o.repository}@${digests[arch]}`]),
  ]);
  expect(listed.code, listed.output).toBe(0);
  return digests;
}
