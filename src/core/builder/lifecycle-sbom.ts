// The lifecycle's and the launcher's SBOMs, from the Go build info of the binaries builder create
// puts in /cnb/lifecycle. The exporter copies /cnb/lifecycle/launcher.sbom.<ext> into every image's
// launch SBOM (the launcher is in every image) and lifecycle.sbom.<ext> into its build SBOM; release
// tarballs of the lifecycle carry these files, a lifecycle built from source does not.
import { createHash } from "node:crypto";
import {
  CYCLONEDX_MEDIA_TYPE,
  cycloneDx,
  type JsonObject,
  normalizeComponents,
  purl,
  SBOM_EXTENSIONS,
  type SbomComponent,
  type SbomSubject,
  SPDX_MEDIA_TYPE,
  spdx,
} from "../../sbom/documents.js";
import type { GoBuildInfo, GoModule } from "./go-buildinfo.js";

/** CycloneDX property names (the SPDX comment uses the same). */
export const GO_PROPERTIES = {
  sum: "ml-buildpacks:go:module-sum",
  package: "ml-buildpacks:go:main-package",
  localDir: "ml-buildpacks:go:replaced-by-directory",
  replaces: "ml-buildpacks:go:replaces",
} as const;

/** The syft JSON schema the document follows (the fields written here are in it since 16.0.0). */
export const SYFT_SCHEMA = {
  version: "16.0.0",
  url: "https://raw.githubusercontent.com/anchore/syft/main/schema/json/schema-16.0.0.json",
} as const;

/** pkg:golang/<module path>@<version>: the module path's last element is the purl's name. */
export function goPurl(path: string, version: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0
    ? purl("golang", undefined, path, version)
    : purl("golang", path.slice(0, slash), path.slice(slash + 1), version);
}

function moduleComponent(m: GoModule, type: SbomComponent["type"], extra: Record<string, string> = {}) {
  const properties: Record<string, string> = { ...extra };
  if (m.sum) properties[GO_PROPERTIES.sum] = m.sum;
  if (m.localDir) properties[GO_PROPERTIES.localDir] = m.localDir;
  if (m.replaces) properties[GO_PROPERTIES.replaces] = `${m.replaces.path}@${m.replaces.version}`;
  return {
    name: m.path,
    version: m.version,
    purl: goPurl(m.path, m.version),
    hashes: {},
    type,
    ...(Object.keys(properties).length ? { properties } : {}),
  } satisfies SbomComponent;
}

/**
 * Pure: the binary's components: its main module (the application), every module linked in, and
 * the Go standard library of the toolchain that built it (named and versioned as syft names it, so
 * scanners match Go's own advisories).
 */
export function goComponents(info: GoBuildInfo): SbomComponent[] {
  const stdlib: SbomComponent = {
    name: "stdlib",
    version: info.goVersion,
    purl: goPurl("stdlib", info.goVersion.replace(/^go/, "")),
    hashes: {},
  };
  const main = info.main
    ? [moduleComponent(info.main, "application", { [GO_PROPERTIES.package]: info.path })]
    : [];
  return [...main, ...info.deps.map((d) => moduleComponent(d, "library")), stdlib];
}

const SYFT_MEDIA_EXTENSION = "syft.json";

/** A syft artifact id: stable (a hash of what identifies it), as syft's own ids are. */
const artifactId = (c: SbomComponent) => createHash("sha256").update(c.purl).digest("hex").slice(0, 16);

/**
 * Pure: a syft JSON document of `components` found in the binary at `location`: what syft itself
 * would write for a Go binary, minus what this reader does not know (licenses, CPEs).
 */
export function syftDocument(
  info: GoBuildInfo,
  components: readonly SbomComponent[],
  location: string,
  tool: SbomSubject["tool"],
): JsonObject {
  const settings = Object.entries(info.settings)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ key, value }));
  const mainModule = info.main?.path ?? "";
  return {
    artifacts: normalizeComponents(components).map((c) => {
      const sum = c.properties?.[GO_PROPERTIES.sum];
      return {
        id: artifactId(c),
        name: c.name,
        version: c.version,
        type: "go-module",
        foundBy: tool.name,
        locations: [{ path: location }],
        licenses: [],
        language: "go",
        cpes: [],
        purl: c.purl,
        metadataType: "go-module-buildinfo-entry",
        metadata: {
          ...(c.type === "application" ? { goBuildSettings: settings } : {}),
          goCompiledVersion: info.goVersion,
          architecture: info.settings.GOARCH ?? "",
          ...(sum ? { h1Digest: sum } : {}),
          ...(mainModule ? { mainModule } : {}),
        },
      };
    }),
    artifactRelationships: [],
    source: {
      id: createHash("sha256").update(`${location}\n${info.path}`).digest("hex"),
      name: location,
      version: info.main?.version ?? "",
      type: "file",
      metadata: { path: location },
    },
    distro: {},
    descriptor: { name: tool.name, version: tool.version },
    schema: { ...SYFT_SCHEMA },
  };
}

/**
 * Pure: `<binary>.sbom.{cdx,spdx,syft}.json` by file name, as the exporter looks for them beside the
 * binary (`location` is where the builder has it, e.g. /cnb/lifecycle/launcher).
 */
export function binarySbomFiles(
  binary: string,
  location: string,
  info: GoBuildInfo,
  tool: SbomSubject["tool"],
): Record<string, string> {
  const components = goComponents(info);
  const subject: SbomSubject = { name: `${location} (${info.path})`, tool };
  const text = (doc: JsonObject) => `${JSON.stringify(doc, null, 2)}\n`;
  return {
    [`${binary}.sbom.${SBOM_EXTENSIONS[CYCLONEDX_MEDIA_TYPE]}`]: text(cycloneDx(subject, components)),
    [`${binary}.sbom.${SBOM_EXTENSIONS[SPDX_MEDIA_TYPE]}`]: text(spdx(subject, components)),
    [`${binary}.sbom.${SYFT_MEDIA_EXTENSION}`]: text(syftDocument(info, components, location, tool)),
  };
}
