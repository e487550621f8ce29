// The conda env layer's SBOM: one pkg:conda component per package rattler installed (sha256 as
// solved from the channel's repodata or pinned in the explicit lock, and verified by rattler), plus
// the packages environment.yml's pip section installed on top (read from their dist-info, as
// #pybuild/venv-sbom does for a venv).
import { type BuildContext, type Layer, purl, pypiName, type SbomComponent } from "#libcnb";
import { venvComponents } from "#pybuild/venv-sbom";
import type { ResolvedPackage } from "./resolved.js";

/** A conda package as a component; the channel is its URL without /<subdir>/<file>. */
export function condaComponent(p: ResolvedPackage): SbomComponent {
  const suffix = `/${p.subdir}/${p.file_name}`;
  const channel = p.url.endsWith(suffix) ? p.url.slice(0, -suffix.length) : undefined;
  const type = p.file_name.endsWith(".conda")
    ? "conda"
    : p.file_name.endsWith(".tar.bz2")
      ? "tar.bz2"
      : undefined;
  return {
    name: p.name,
    version: p.version,
    purl: purl("conda", undefined, p.name, p.version, { build: p.build, channel, subdir: p.subdir, type }),
    hashes: /^[0-9a-f]{64}$/.test(p.sha256) ? { sha256: p.sha256 } : {},
  };
}

/** The conda packages, and the prefix's Python distributions that no conda package accounts for. */
export function envComponents(packages: readonly ResolvedPackage[], prefix: string): SbomComponent[] {
  const conda = new Set(packages.map((p) => pypiName(p.name)));
  const pip = venvComponents(prefix).filter((c) => !conda.has(pypiName(c.name)));
  return [...packages.map(condaComponent), ...pip];
}

export function writeCondaSbom(
  ctx: BuildContext,
  layer: Layer,
  packages: readonly ResolvedPackage[],
  prefix: string,
): void {
  const components = envComponents(packages, prefix);
  layer.writeSbom(
    {
      name: `${ctx.buildpack.id} ${layer.name} layer`,
      tool: { name: ctx.buildpack.id, version: ctx.buildpack.version },
    },
    components,
  );
  ctx.logger.step(`SBOM: ${components.length} packages (CycloneDX and SPDX)`);
}
