// The packages layer's SBOM: one component per Debian package unpacked into it (name, version,
// architecture, the sha256 of the .deb apt downloaded and verified against the signed index).
// Packages the run image already has are not installed here, so they are not listed.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type BuildContext, type Layer, purl, type SbomComponent } from "#libcnb";
import { archiveFileName, type ResolvedPackage } from "./apt.js";

/** A deb component; `distro` e.g. { name: "debian", version: "13" }, `sha256` of its .deb if read. */
export function debComponent(
  p: ResolvedPackage,
  distro: { name: string; version: string },
  sha256: string | undefined,
): SbomComponent {
  const namespace = distro.name || "debian";
  return {
    name: p.name,
    version: p.version,
    purl: purl("deb", namespace, p.name, p.version, {
      arch: p.arch,
      distro: distro.version ? `${namespace}-${distro.version}` : undefined,
    }),
    hashes: sha256 ? { sha256 } : {},
    type: "library",
  };
}

/** Writes the SBOM of the packages layer from the resolved packages and their .deb files in `archives`. */
export function writeDebSbom(
  ctx: BuildContext,
  layer: Layer,
  resolved: readonly ResolvedPackage[],
  archives: string,
): void {
  const distro = { name: ctx.target.distroName, version: ctx.target.distroVersion };
  const components = resolved.map((p) =>
    debComponent(
      p,
      distro,
      createHash("sha256")
        .update(readFileSync(join(archives, archiveFileName(p))))
        .digest("hex"),
    ),
  );
  layer.writeSbom(
    {
      name: `${ctx.buildpack.id} ${layer.name} layer`,
      tool: { name: ctx.buildpack.id, version: ctx.buildpack.version },
    },
    components,
  );
  ctx.logger.step(`SBOM: ${components.length} Debian package(s) (CycloneDX and SPDX)`);
}
