// --sbom-output-dir / the action's sbom-dir: after the push, the SBOM layer of the pushed image is
// read back from the registry (what is in the image, whichever executor built it, and also for a
// build the fast path answered with the previous image) and written out per platform, laid out as
// `pack sbom download --output-dir DIR/<os>-<arch>` lays it out.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { MlBuildpacksError } from "../errors.js";
import type { ImageConfig } from "../fast-path/registry.js";
import type { Logger } from "../log.js";
import type { RegistryClient } from "../registry/client.js";
import type { BuildRequest } from "../request.js";
import { outputPath, platformDir, sbomLayerOf } from "./locate.js";
import { sbomMessages } from "./messages.js";
import { readTar } from "./tar.js";

export interface SavedSbom {
  /** DIR/<os>-<arch> */
  dir: string;
  /** Paths relative to `dir`, e.g. layers/sbom/launch/ml-buildpacks_pip/venv/sbom.cdx.json. */
  files: string[];
}

/** The SBOM files of the layer's tar (gzip or not), by output path. */
export function sbomFilesOf(blob: Buffer): Map<string, Buffer> {
  const tar = blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob) : blob;
  const out = new Map<string, Buffer>();
  for (const e of readTar(tar)) {
    const path = e.type === "file" ? outputPath(e.name) : undefined;
    if (path) out.set(path, e.data);
  }
  return out;
}

/**
 * Writes the SBOM of `repository@digest` under `outputDir`/<os>-<arch> (replacing what an earlier
 * build left there). Warns and writes nothing when the image has no SBOM layer.
 */
export async function saveImageSbom(
  client: RegistryClient,
  repository: string,
  digest: string,
  outputDir: string,
  log: Logger,
): Promise<SavedSbom | undefined> {
  const image = `${client.registry}/${repository}@${digest}`;
  const manifest = await client.getManifest(repository, digest);
  const config = manifest && (await client.getConfig<ImageConfig>(repository, manifest));
  if (!manifest || !config)
    throw new MlBuildpacksError(
      sbomMessages.unreadable(image, "its manifest or config is not in the registry"),
    );
  const dir = join(outputDir, platformDir(config));
  const lookup = sbomLayerOf(manifest, config);
  if ("missing" in lookup) {
    log.warn(sbomMessages.noSbom(dir, image, lookup.missing));
    return undefined;
  }
  const blob = await client.getBlob(repository, lookup.layer.digest);
  if (!blob)
    throw new Error(
      `the SBOM layer ${lookup.layer.digest} of ${repository}@${digest} is not in the registry`,
    );
  const files = sbomFilesOf(blob);
  rmSync(dir, { recursive: true, force: true });
  for (const [path, data] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
  const list = [...files.keys()].sort();
  log.info(`SBOM of ${digest} (${platformDir(config)}): ${list.length} files in ${dir}`);
  return { dir, files: list };
}

/** The build's step: saves the pushed image's SBOM when the request asks for it. */
export function saveRequestedSbom(
  req: Pick<BuildRequest, "sbomOutputDir" | "publish">,
  client: RegistryClient,
  repository: string,
  digest: string,
  log: Logger,
): Promise<SavedSbom | undefined> {
  const out = req.sbomOutputDir;
  if (!out || !req.publish || !digest) return Promise.resolve(undefined);
  return log.group("Saving the image's SBOM (--sbom-output-dir)", () =>
    saveImageSbom(client, repository, digest, out, log),
  );
}
