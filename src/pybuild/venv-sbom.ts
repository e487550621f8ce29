// The venv layer's SBOM: one component per distribution installed in the venv, read from its
// *.dist-info (what is in the image, whichever installer put it there and whatever the lock said).
//
// Hash: the sha256 of the distribution's dist-info/RECORD file. RECORD lists the sha256 of every file
// the installer wrote, so its own digest pins exactly the installed files, for every installer, with
// or without hashes in the lock. A lock's --hash names the wheel or sdist downloaded, which a venv no
// longer holds (and for a lock with several wheels, the installer does not record which one it took).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type BuildContext, type Layer, purl, pypiName, type SbomComponent } from "../libcnb/index.js";

/** The headers of a core metadata file (RFC 822 style) up to the first blank line; first value wins. */
export function metadataHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === "") break;
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (m?.[1] && !headers.has(m[1].toLowerCase())) headers.set(m[1].toLowerCase(), (m[2] ?? "").trim());
  }
  return headers;
}

/** A component from a dist-info's METADATA text and RECORD bytes; undefined without Name/Version. */
export function distComponent(metadata: string, record: Buffer | undefined): SbomComponent | undefined {
  const h = metadataHeaders(metadata);
  const name = h.get("name");
  const version = h.get("version");
  if (!name || !version) return undefined;
  const license = h.get("license-expression");
  return {
    name,
    version,
    purl: purl("pypi", undefined, pypiName(name), version),
    hashes: record ? { sha256: createHash("sha256").update(record).digest("hex") } : {},
    ...(license ? { licenses: [license] } : {}),
  };
}

/** Every site-packages of a venv (lib/pythonX.Y/site-packages). */
function sitePackagesDirs(venv: string): string[] {
  const lib = join(venv, "lib");
  if (!existsSync(lib)) return [];
  return readdirSync(lib)
    .filter((d) => d.startsWith("python"))
    .map((d) => join(lib, d, "site-packages"))
    .filter((d) => existsSync(d));
}

/** The distributions installed in `venv`. */
export function venvComponents(venv: string): SbomComponent[] {
  const out: SbomComponent[] = [];
  for (const site of sitePackagesDirs(venv)) {
    for (const entry of readdirSync(site)) {
      if (!entry.endsWith(".dist-info")) continue;
      const dir = join(site, entry);
      const metadata = readOptional(join(dir, "METADATA"));
      if (!metadata) continue;
      const c = distComponent(metadata.toString("utf8"), readOptional(join(dir, "RECORD")));
      if (c) out.push(c);
    }
  }
  return out;
}

function readOptional(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Writes the venv layer's SBOM files from what was installed in it. */
export function writeVenvSbom(ctx: Pick<BuildContext, "buildpack" | "logger">, layer: Layer): void {
  const components = venvComponents(layer.path);
  layer.writeSbom(
    {
      name: `${ctx.buildpack.id} ${layer.name} layer`,
      tool: { name: ctx.buildpack.id, version: ctx.buildpack.version },
    },
    components,
  );
  ctx.logger.step(`SBOM: ${components.length} Python packages (CycloneDX and SPDX)`);
}
