// The SBOM entry of the Python the app runs on: an installed CPython in the cpython layer (its
// version, the sha256 of the archive it was unpacked from, pinned in the manifest, and where that
// came from), or the stack's Python in the python layer (version only: its files are the run
// image's Debian packages, which the stack's own SBOM describes).
import { type BuildContext, purl, type SbomComponent } from "#libcnb";
import { CPYTHON_LAYER } from "./layers/cpython.js";
import { type Build, downloadUrl } from "./manifest.js";

/** The CPython component; `installed` when it came from the manifest (else it is the stack's). */
export function cpythonComponent(
  version: string,
  installed?: { build: Build; mirror: string },
): SbomComponent {
  if (!installed)
    return {
      name: "cpython",
      version,
      purl: purl("generic", undefined, "cpython", version),
      hashes: {},
      type: "application",
    };
  const url = downloadUrl(installed.mirror, installed.build);
  return {
    name: "cpython",
    version,
    purl: purl("generic", undefined, "cpython", version, {
      download_url: url,
      checksum: `sha256:${installed.build.sha256}`,
    }),
    hashes: { sha256: installed.build.sha256 },
    licenses: ["Python-2.0"],
    type: "application",
  };
}

/** Writes the SBOM on the layer that holds (cpython) or points at (python) the interpreter. */
export function writePythonSbom(
  ctx: BuildContext,
  version: string,
  installed?: { build: Build; mirror: string },
): void {
  const layer = ctx.layers.get(installed ? CPYTHON_LAYER : "python");
  const subject = {
    name: `${ctx.buildpack.id} ${layer.name} layer`,
    tool: { name: ctx.buildpack.id, version: ctx.buildpack.version },
  };
  layer.writeSbom(subject, [cpythonComponent(version, installed)]);
}
