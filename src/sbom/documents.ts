// SBOM documents (CycloneDX 1.5, SPDX 2.3) from a list of components. Shared by the buildpacks'
// layer SBOMs (libcnb: <layers>/<layer>.sbom.<ext>, which the exporter copies to
// /layers/sbom/launch/<buildpack>/<layer>/sbom.<ext>) and builder create (the lifecycle's and the
// launcher's SBOMs in /cnb/lifecycle): pure, so both layers of the code can use it.
//
// The documents are pure functions of the components: no clock, no random serial number. An SBOM
// that changed every build would change the SBOM layer, and so the image digest, of a build whose
// inputs did not change.
import { createHash } from "node:crypto";

export const CYCLONEDX_MEDIA_TYPE = "application/vnd.cyclonedx+json";
export const SPDX_MEDIA_TYPE = "application/spdx+json";
/** Media type -> file extension, as the Buildpack API names them. */
export const SBOM_EXTENSIONS = {
  [CYCLONEDX_MEDIA_TYPE]: "cdx.json",
  [SPDX_MEDIA_TYPE]: "spdx.json",
} as const;

/**
 * The documents' creation time: the lifecycle's fixed image creation time (1980-01-01T00:00:01Z),
 * so that an unchanged build writes byte-identical SBOMs.
 */
export const SBOM_CREATED = "1980-01-01T00:00:01Z";

export interface SbomComponent {
  name: string;
  version: string;
  /** Package URL (https://github.com/package-url/purl-spec), e.g. pkg:pypi/numpy@2.2.6. */
  purl: string;
  /** Lowercase hex digests by algorithm; sha256 where known. */
  hashes: { sha256?: string };
  /** SPDX license ids or expressions (e.g. "MIT", "Apache-2.0 OR MIT") where the package declares one. */
  licenses?: string[];
  /** CycloneDX component type; default library. */
  type?: "library" | "application" | "operating-system";
  /**
   * Facts no standard field holds (e.g. a Go module's h1 sum, which is no SHA-256 of a file):
   * CycloneDX properties; the SPDX package's comment.
   */
  properties?: Record<string, string>;
}

export interface SbomSubject {
  /** What the document describes, e.g. "ml-buildpacks/uv venv layer". */
  name: string;
  /** The tool that wrote it, e.g. { name: "ml-buildpacks/uv", version: "0.1.0" }. */
  tool: { name: string; version: string };
}

export type JsonObject = { [key: string]: unknown };

const HEX64 = /^[0-9a-f]{64}$/;
// A conservative reading of an SPDX license expression: ids joined by AND/OR/WITH, optional parens.
const LICENSE_EXPRESSION = /^\(?[A-Za-z0-9.+-]+( (AND|OR|WITH) \(?[A-Za-z0-9.+-]+\)?)*\)?$/;

/** Components sorted by purl, one per purl (the first wins): the documents' stable order. */
export function normalizeComponents(components: readonly SbomComponent[]): SbomComponent[] {
  const seen = new Map<string, SbomComponent>();
  for (const c of components) if (!seen.has(c.purl)) seen.set(c.purl, c);
  return [...seen.values()].sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
}

/** A name-based UUID (RFC 4122 version 5 layout over sha256) of `text`. */
export function stableUuid(text: string): string {
  const h = createHash("sha256").update(text).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function contentKey(subject: SbomSubject, components: readonly SbomComponent[]): string {
  return JSON.stringify([subject, components]);
}

const validSha256 = (c: SbomComponent) =>
  c.hashes.sha256 && HEX64.test(c.hashes.sha256) ? c.hashes.sha256 : undefined;
const sortedProperties = (c: SbomComponent) =>
  Object.entries(c.properties ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const validLicenses = (c: SbomComponent) => (c.licenses ?? []).filter((l) => LICENSE_EXPRESSION.test(l));

/** A CycloneDX 1.5 JSON document. */
export function cycloneDx(subject: SbomSubject, components: readonly SbomComponent[]): JsonObject {
  const list = normalizeComponents(components);
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.5",
    serialNumber: `urn:uuid:${stableUuid(contentKey(subject, list))}`,
    version: 1,
    metadata: {
      timestamp: SBOM_CREATED,
      tools: {
        components: [{ type: "application", name: subject.tool.name, version: subject.tool.version }],
      },
      component: { type: "application", "bom-ref": "subject", name: subject.name },
    },
    components: list.map((c) => {
      const sha = validSha256(c);
      const licenses = validLicenses(c);
      const props = sortedProperties(c);
      return {
        type: c.type ?? "library",
        "bom-ref": c.purl,
        name: c.name,
        version: c.version,
        purl: c.purl,
        ...(sha ? { hashes: [{ alg: "SHA-256", content: sha }] } : {}),
        ...(licenses.length ? { licenses: licenses.map((l) => ({ expression: l })) } : {}),
        ...(props.length ? { properties: props.map(([name, value]) => ({ name, value })) } : {}),
      };
    }),
  };
}

/** "SPDXRef-" + only the characters SPDX allows, made unique by the component's index. */
function spdxId(index: number, name: string): string {
  return `SPDXRef-Package-${index + 1}-${name.replace(/[^A-Za-z0-9.-]/g, "-")}`;
}

/** An SPDX 2.3 JSON document. */
export function spdx(subject: SbomSubject, components: readonly SbomComponent[]): JsonObject {
  const list = normalizeComponents(components);
  const uuid = stableUuid(contentKey(subject, list));
  const packages = list.map((c, i) => {
    const sha = validSha256(c);
    const licenses = validLicenses(c);
    const props = sortedProperties(c);
    return {
      name: c.name,
      SPDXID: spdxId(i, c.name),
      versionInfo: c.version,
      downloadLocation: "NOASSERTION",
      filesAnalyzed: false,
      ...(sha ? { checksums: [{ algorithm: "SHA256", checksumValue: sha }] } : {}),
      licenseConcluded: "NOASSERTION",
      licenseDeclared: licenses.length
        ? licenses.map((l) => (licenses.length > 1 ? `(${l})` : l)).join(" AND ")
        : "NOASSERTION",
      copyrightText: "NOASSERTION",
      ...(props.length ? { comment: props.map(([k, v]) => `${k}: ${v}`).join("\n") } : {}),
      externalRefs: [
        { referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: c.purl },
      ],
    };
  });
  return {
    spdxVersion: "SPDX-2.3",
    dataLicense: "CC0-1.0",
    SPDXID: "SPDXRef-DOCUMENT",
    name: subject.name,
    documentNamespace: `https://github.com/ml-buildpacks/ml-buildpacks/spdx/${encodeURIComponent(subject.tool.name)}/${uuid}`,
    creationInfo: { created: SBOM_CREATED, creators: [`Tool: ${subject.tool.name}-${subject.tool.version}`] },
    packages,
    relationships: packages.map((p) => ({
      spdxElementId: "SPDXRef-DOCUMENT",
      relationshipType: "DESCRIBES",
      relatedSpdxElement: p.SPDXID,
    })),
  };
}

/** Both documents, by file extension, as the files' text. */
export function sbomFiles(
  subject: SbomSubject,
  components: readonly SbomComponent[],
): Record<string, string> {
  const text = (doc: JsonObject) => `${JSON.stringify(doc, null, 2)}\n`;
  return {
    [SBOM_EXTENSIONS[CYCLONEDX_MEDIA_TYPE]]: text(cycloneDx(subject, components)),
    [SBOM_EXTENSIONS[SPDX_MEDIA_TYPE]]: text(spdx(subject, components)),
  };
}

/** purl percent-encoding: everything but unreserved characters (a version's ":" and "+" included). */
const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/** A Package URL: pkg:type/namespace/name@version?qualifiers (sorted, empty ones left out). */
export function purl(
  type: string,
  namespace: string | undefined,
  name: string,
  version: string,
  qualifiers: Record<string, string | undefined> = {},
): string {
  const q = Object.entries(qualifiers)
    .filter((e): e is [string, string] => !!e[1])
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${enc(v)}`)
    .join("&");
  const ns = namespace ? `${namespace.split("/").map(enc).join("/")}/` : "";
  return `pkg:${type}/${ns}${enc(name)}@${enc(version)}${q ? `?${q}` : ""}`;
}

/** PEP 503 normalized project name, as the pypi purl type wants it. */
export function pypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
