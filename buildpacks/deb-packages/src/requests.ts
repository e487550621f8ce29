// Requests from other buildpacks: entries named "deb-packages" in this buildpack's Buildpack Plan.
//
//   [[requires]]
//   name = "deb-packages"
//   [requires.metadata]
//   requested_by = "ml-buildpacks/hardware (hardware.txt: coral)"   # shown in the log and in errors
//   packages = ["libedgetpu1-std"]                                  # "name" or "name=version"
//   [[requires.metadata.sources]]                                   # optional extra apt sources
//   name = "coral"                                                  # a-z0-9-, names the sources file
//   uri = "https://packages.cloud.google.com/apt"
//   suite = "coral-edgetpu-stable"
//   components = ["main"]
//   signed_by = "coral-archive-keyring.gpg"   # keyring file: absolute, or relative to the app dir
import { isAbsolute, join } from "node:path";
import { isTable, type PlanEntry, type TomlValue } from "#libcnb";
import { parseSpec } from "./aptfile.js";
import * as errors from "./errors.js";
import type { ExtraSource, PackageRequest } from "./package-request.js";

export interface PlanRequests {
  packages: PackageRequest[];
  sources: ExtraSource[];
}

function strings(v: TomlValue | undefined): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined;
}

export function planRequests(entries: readonly PlanEntry[], appDir: string): PlanRequests {
  const packages: PackageRequest[] = [];
  const sources: ExtraSource[] = [];
  for (const entry of entries) {
    const m = entry.metadata;
    if (Object.keys(m).length === 0) continue; // our own entry for the Aptfile
    const by = typeof m.requested_by === "string" && m.requested_by ? m.requested_by : "another buildpack";
    const names = m.packages === undefined ? [] : strings(m.packages);
    if (!names) throw errors.badPlanEntry(by, "packages must be an array of strings");
    for (const text of names) {
      const spec = parseSpec(text);
      if (!spec) throw errors.badPlanEntry(by, `${JSON.stringify(text)} is not a Debian package name`);
      packages.push({ ...spec, origin: by });
    }
    const raw = m.sources === undefined ? [] : m.sources;
    if (!Array.isArray(raw)) throw errors.badPlanEntry(by, "sources must be an array of tables");
    for (const s of raw) {
      if (!isTable(s)) throw errors.badPlanEntry(by, "sources must be an array of tables");
      const name = typeof s.name === "string" ? s.name : "";
      const uri = typeof s.uri === "string" ? s.uri : "";
      const suite = typeof s.suite === "string" ? s.suite : "";
      const components = strings(s.components) ?? [];
      const signedBy = typeof s.signed_by === "string" ? s.signed_by : "";
      if (!/^[a-z0-9][a-z0-9-]*$/.test(name))
        throw errors.badPlanEntry(by, "a source needs a name (a-z, 0-9, -)");
      if (!/^https?:\/\/\S+$/.test(uri))
        throw errors.badPlanEntry(by, `source ${name}: uri must be http(s)://...`);
      if (!/^[A-Za-z0-9._/-]+$/.test(suite))
        throw errors.badPlanEntry(by, `source ${name}: suite is missing`);
      if (!suite.endsWith("/") && components.length === 0) {
        throw errors.badPlanEntry(by, `source ${name}: components are missing`);
      }
      if (!signedBy) throw errors.unsignedSource(by, name, uri);
      sources.push({
        name,
        uri,
        suite,
        components,
        signedBy: isAbsolute(signedBy) ? signedBy : join(appDir, signedBy),
        requestedBy: by,
      });
    }
  }
  return { packages, sources };
}
