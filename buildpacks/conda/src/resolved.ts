// The resolved package set: what the driver reports after solving (or after verifying a lock).
import { createHash } from "node:crypto";

export interface ResolvedPackage {
  name: string;
  version: string;
  build: string;
  subdir: string;
  file_name: string;
  url: string;
  sha256: string;
}

/** Identity of the set: subdir/file and sha256 of each package (as conda_driver.py's digest()). */
export function packagesDigest(packages: readonly ResolvedPackage[]): string {
  const sorted = [...packages].sort((a, b) =>
    a.name === b.name
      ? `${a.subdir}/${a.file_name}`.localeCompare(`${b.subdir}/${b.file_name}`)
      : a.name < b.name
        ? -1
        : 1,
  );
  const lines = sorted.map((p) => `${p.subdir}/${p.file_name} ${p.sha256}\n`).join("");
  return createHash("sha256").update(lines).digest("hex");
}

/** "numpy=2.2.6=py311_0 python=3.11.2=0": readable, kept in the layer metadata for the change log. */
export function packagesList(packages: readonly ResolvedPackage[]): string {
  return packages
    .map((p) => `${p.name}=${p.version}=${p.build}`)
    .sort()
    .join(" ");
}

/** What changed between two packagesList() values: "numpy 2.2.6 -> 2.3.0", "+ scipy 1.15.0", "- six 1.17.0". */
export function describePackageChanges(before: unknown, after: string): string {
  const parse = (s: string) =>
    new Map(
      s
        .split(" ")
        .filter(Boolean)
        .map((e) => {
          const [name = "", version = "", build = ""] = e.split("=");
          return [name, `${version}${build ? ` (${build})` : ""}`] as const;
        }),
    );
  if (typeof before !== "string") return `resolved packages: (none) -> ${after || "(none)"}`;
  const a = parse(before);
  const b = parse(after);
  const changes: string[] = [];
  for (const [name, v] of b) {
    const old = a.get(name);
    if (old === undefined) changes.push(`+ ${name} ${v}`);
    else if (old !== v) changes.push(`${name} ${old} -> ${v}`);
  }
  for (const [name, v] of a) if (!b.has(name)) changes.push(`- ${name} ${v}`);
  return `resolved packages changed: ${changes.join(", ") || "same versions, other files"}`;
}
