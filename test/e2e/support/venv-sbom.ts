import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runAsCnbUser } from "../helpers.js";

// What the front ends' e2e tests check of an SBOM written by --sbom-output-dir (action sbom-dir,
// GitLab artifacts, Tekton workspace): a layer's packages as both formats list them, and the Python
// distributions of the running image's venv as importlib.metadata sees them.

/** Where a layer's documents are, under DIR/<os>-<arch>. */
export const layerSbomDir = (buildpack: string, layer: string) =>
  join("layers", "sbom", "launch", buildpack.replaceAll("/", "_"), layer);

/** `name==version` of every package, from the CycloneDX document, checked equal to the SPDX one's. */
export function sbomPackages(dir: string): string[] {
  const cdx = JSON.parse(readFileSync(join(dir, "sbom.cdx.json"), "utf8")) as {
    bomFormat: string;
    specVersion: string;
    components: { name: string; version: string; purl: string }[];
  };
  const spdx = JSON.parse(readFileSync(join(dir, "sbom.spdx.json"), "utf8")) as {
    spdxVersion: string;
    packages: { name: string; versionInfo: string }[];
  };
  if (cdx.bomFormat !== "CycloneDX" || cdx.specVersion !== "1.5")
    throw new Error(`${dir}/sbom.cdx.json is not CycloneDX 1.5`);
  if (spdx.spdxVersion !== "SPDX-2.3") throw new Error(`${dir}/sbom.spdx.json is not SPDX 2.3`);
  const fromCdx = cdx.components.map((c) => `${c.name.toLowerCase()}==${c.version}`).sort();
  const fromSpdx = spdx.packages.map((p) => `${p.name.toLowerCase()}==${p.versionInfo}`).sort();
  if (JSON.stringify(fromCdx) !== JSON.stringify(fromSpdx))
    throw new Error(`${dir}: CycloneDX lists ${fromCdx.join(", ")}; SPDX lists ${fromSpdx.join(", ")}`);
  return fromCdx;
}

// Every distribution installed in the venv the launcher activates (VIRTUAL_ENV), one per line.
const VENV_DISTS = `
import importlib.metadata as md, os
venv = os.environ["VIRTUAL_ENV"]
for d in md.distributions():
    if str(d.locate_file("")).startswith(venv):
        print("dist:" + d.metadata["Name"].lower() + "==" + d.version)
`;

/**
 * `name==version` of every Python distribution in the image's venv, as the app's Python sees it
 * (through the launcher, as the CNB user); names in lower case, as sbomPackages gives them.
 */
export async function venvDistributions(imageRef: string): Promise<string[]> {
  // bash pipes the script to `launcher python -`: the launcher would join a command's words and lose its newlines.
  const script = Buffer.from(VENV_DISTS).toString("base64");
  const r = await runAsCnbUser(imageRef, "bash", [
    "-c",
    `echo ${script} | base64 -d | /cnb/lifecycle/launcher python -`,
  ]);
  if (r.code !== 0) throw new Error(`listing the venv of ${imageRef} failed:\n${r.output}`);
  return r.output
    .split("\n")
    .filter((l) => l.startsWith("dist:"))
    .map((l) => l.slice(5))
    .sort();
}
