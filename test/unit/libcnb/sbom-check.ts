// Test helper: checks an SBOM document against the required fields of its format (CycloneDX 1.5,
// SPDX 2.3), for the unit tests of src/libcnb/sbom.ts and the SBOM e2e test.
export type JsonObject = { [key: string]: unknown };

const HEX64 = /^[0-9a-f]{64}$/;

/** Problems of a document against the required fields of its format (empty when valid). */
export function sbomProblems(doc: JsonObject): string[] {
  if (doc.bomFormat === "CycloneDX") return cycloneDxProblems(doc);
  if (doc.spdxVersion === "SPDX-2.3") return spdxProblems(doc);
  return ["neither a CycloneDX nor an SPDX 2.3 document"];
}

const isObj = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown) => typeof v === "string" && v.length > 0;

function cycloneDxProblems(doc: JsonObject): string[] {
  const out: string[] = [];
  if (doc.specVersion !== "1.5") out.push(`specVersion ${String(doc.specVersion)}, expected 1.5`);
  if (
    !/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(
      String(doc.serialNumber),
    )
  )
    out.push("serialNumber is not a urn:uuid");
  if (!Array.isArray(doc.components)) return [...out, "components is not a list"];
  const refs = new Set<string>();
  for (const [i, c] of (doc.components as unknown[]).entries()) {
    if (!isObj(c)) {
      out.push(`components[${i}] is not an object`);
      continue;
    }
    for (const f of ["type", "name", "version", "purl", "bom-ref"])
      if (!nonEmpty(c[f])) out.push(`components[${i}].${f} missing`);
    if (refs.has(String(c["bom-ref"]))) out.push(`components[${i}].bom-ref is not unique`);
    refs.add(String(c["bom-ref"]));
    if (!String(c.purl).startsWith("pkg:")) out.push(`components[${i}].purl is not a purl`);
    for (const h of Array.isArray(c.hashes) ? c.hashes : [])
      if (!isObj(h) || h.alg !== "SHA-256" || !HEX64.test(String(h.content)))
        out.push(`components[${i}] bad hash`);
  }
  return out;
}

function spdxProblems(doc: JsonObject): string[] {
  const out: string[] = [];
  for (const f of ["SPDXID", "name", "documentNamespace", "dataLicense"])
    if (!nonEmpty(doc[f])) out.push(`${f} missing`);
  if (doc.SPDXID !== "SPDXRef-DOCUMENT") out.push("SPDXID is not SPDXRef-DOCUMENT");
  if (doc.dataLicense !== "CC0-1.0") out.push("dataLicense is not CC0-1.0");
  if (!/^[a-z]+:\/\/[^#\s]+$/.test(String(doc.documentNamespace)))
    out.push("documentNamespace is not a URI without #");
  const info = doc.creationInfo;
  if (!isObj(info) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(info.created)))
    out.push("creationInfo.created missing or not YYYY-MM-DDThh:mm:ssZ");
  if (!isObj(info) || !Array.isArray(info.creators) || info.creators.length === 0)
    out.push("creationInfo.creators empty");
  if (!Array.isArray(doc.packages)) return [...out, "packages is not a list"];
  const ids = new Set<string>();
  for (const [i, p] of (doc.packages as unknown[]).entries()) {
    if (!isObj(p)) {
      out.push(`packages[${i}] is not an object`);
      continue;
    }
    for (const f of ["name", "SPDXID", "downloadLocation"])
      if (!nonEmpty(p[f])) out.push(`packages[${i}].${f} missing`);
    if (!/^SPDXRef-[A-Za-z0-9.-]+$/.test(String(p.SPDXID))) out.push(`packages[${i}].SPDXID invalid`);
    if (ids.has(String(p.SPDXID))) out.push(`packages[${i}].SPDXID is not unique`);
    ids.add(String(p.SPDXID));
    for (const c of Array.isArray(p.checksums) ? p.checksums : [])
      if (!isObj(c) || c.algorithm !== "SHA256" || !HEX64.test(String(c.checksumValue)))
        out.push(`packages[${i}] bad checksum`);
  }
  for (const r of Array.isArray(doc.relationships) ? doc.relationships : [])
    if (!isObj(r) || !ids.has(String(r.relatedSpdxElement)))
      out.push("a relationship names an unknown package");
  return out;
}
