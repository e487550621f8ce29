// apt-get as the CNB user: every directory apt writes to lives in the apt-cache layer, the package
// sources are the stack's own (plus any a buildpack asked for), and the "installed" database is the run
// image's dpkg status, so apt resolves dependencies and skips what the app image already has.
// apt verifies each source's Release signature with the keyrings the sources name (Signed-By).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExtraSource, PackageRequest } from "./package-request.js";

/** Where the stack keeps things; tests point these at a temp dir. */
export interface System {
  /** /etc/apt/sources.list (one-line format). */
  sourcesList: string;
  /** /etc/apt/sources.list.d (*.list and deb822 *.sources). */
  sourcesParts: string;
  /** Copy of the run image's /var/lib/dpkg/status that ml-buildpacks build images carry. */
  runImageStatus: string;
  /** The build image's own status: a superset of the run image's on ml-buildpacks stacks. */
  buildImageStatus: string;
  /** The user apt runs as (its sandbox user must be us: we are not root). */
  user: string;
}

export const RUN_IMAGE_STATUS = "/cnb/run-image-dpkg-status";

export function defaultSystem(user: string): System {
  return {
    sourcesList: "/etc/apt/sources.list",
    sourcesParts: "/etc/apt/sources.list.d",
    runImageStatus: RUN_IMAGE_STATUS,
    buildImageStatus: "/var/lib/dpkg/status",
    user,
  };
}

export interface SourceFile {
  /** File name under sources.list.d. */
  name: string;
  content: string;
}

/** The stack's sources, as files to copy into our own sources.list.d. */
export function systemSources(system: System): SourceFile[] {
  const files: SourceFile[] = [];
  if (existsSync(system.sourcesList)) {
    files.push({ name: "stack-sources.list", content: readFileSync(system.sourcesList, "utf8") });
  }
  if (existsSync(system.sourcesParts)) {
    for (const name of readdirSync(system.sourcesParts).sort()) {
      if (!/\.(list|sources)$/.test(name)) continue;
      files.push({ name: `stack-${name}`, content: readFileSync(join(system.sourcesParts, name), "utf8") });
    }
  }
  return files;
}

/** deb822 stanza for a source a buildpack asked for. */
export function extraSourceFile(s: ExtraSource): SourceFile {
  const lines = [
    "Types: deb",
    `URIs: ${s.uri}`,
    `Suites: ${s.suite}`,
    ...(s.components.length ? [`Components: ${s.components.join(" ")}`] : []),
    `Signed-By: ${s.signedBy}`,
  ];
  return { name: `extra-${s.name}.sources`, content: `${lines.join("\n")}\n` };
}

/** "http://deb.debian.org/debian trixie trixie-updates" per stanza/line, for the log. */
export function describeSources(files: readonly SourceFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (f.name.endsWith(".sources")) {
      for (const stanza of f.content.split(/\n\s*\n/)) {
        const field = (k: string) => new RegExp(`^${k}:\\s*(.+)$`, "mi").exec(stanza)?.[1]?.trim();
        const uris = field("URIs");
        if (!uris || /^Enabled:\s*no/im.test(stanza) || !/^Types:(?:.*\s)?deb(?:\s|$)/im.test(stanza))
          continue;
        out.push(`${uris} ${field("Suites") ?? ""}`.trim());
      }
    } else {
      for (const line of f.content.split("\n")) {
        const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line.trim());
        if (m) out.push(`${m[1]} ${m[2]}`);
      }
    }
  }
  return out;
}

export interface AptPaths {
  /** The apt-cache layer. */
  root: string;
  conf: string;
  state: string;
  lists: string;
  /** Dir::Cache: apt's binary caches only (the archives are kept elsewhere). */
  cache: string;
  archives: string;
  sourcesList: string;
  sourcesParts: string;
}

export function aptPaths(root: string): AptPaths {
  return {
    root,
    conf: join(root, "apt.conf"),
    state: join(root, "state"),
    lists: join(root, "state", "lists"),
    cache: join(root, "cache"),
    archives: join(root, "archives"),
    sourcesList: join(root, "etc", "sources.list"),
    sourcesParts: join(root, "etc", "sources.list.d"),
  };
}

/**
 * apt.conf read after the stack's own configuration (apt-get -c), so proxies and other settings of
 * the stack still apply. The #clear lines drop the stack's post-invoke hooks (the Debian docker images'
 * "rm /var/cache/apt/archives/*.deb"), which would fail noisily as a non-root user.
 */
export function aptConfig(paths: AptPaths, status: string, user: string): string {
  const q = (v: string) => JSON.stringify(v);
  return [
    "#clear APT::Update::Post-Invoke;",
    "#clear APT::Update::Post-Invoke-Success;",
    "#clear DPkg::Post-Invoke;",
    "#clear DPkg::Pre-Invoke;",
    `Dir::State ${q(paths.state)};`,
    `Dir::State::status ${q(status)};`,
    `Dir::Cache ${q(paths.cache)};`,
    `Dir::Cache::archives ${q(paths.archives)};`,
    // apt's binary cache of the lists: apt-get update writes it, so resolving and downloading do not
    // parse the (compressed) lists again, ~1 s each. Deleted before the layer is saved (saveAptCache).
    `Dir::Cache::pkgcache ${q(join(paths.cache, "pkgcache.bin"))};`,
    'Dir::Cache::srcpkgcache "";',
    `Dir::Etc::sourcelist ${q(paths.sourcesList)};`,
    `Dir::Etc::sourceparts ${q(paths.sourcesParts)};`,
    `Dir::Log ${q(join(paths.root, "log"))};`,
    `APT::Sandbox::User ${q(user)};`,
    'Debug::NoLocking "true";',
    'APT::Install-Recommends "false";',
    'APT::Install-Suggests "false";',
    'APT::Get::Assume-Yes "true";',
    'Acquire::Retries "3";',
    // Keep the package lists compressed (~5x smaller cache) and skip translations nobody reads here.
    'Acquire::GzipIndexes "true";',
    'Acquire::Languages "none";',
    'Binary::apt::APT::Keep-Downloaded-Packages "true";',
    "",
  ].join("\n");
}

export interface ResolvedPackage {
  name: string;
  version: string;
  arch: string;
}

/** Packages `apt-get install --simulate` would install ("Inst name [old] (version origin [arch])"). */
export function parseSimulation(output: string): ResolvedPackage[] {
  const out: ResolvedPackage[] = [];
  for (const line of output.split("\n")) {
    const m = /^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) [^)]*\[([a-z0-9-]+)\]\)/.exec(line);
    if (m?.[1] && m[2] && m[3])
      out.push({ name: m[1].replace(/:[a-z0-9-]+$/, ""), version: m[2], arch: m[3] });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The file name apt stores a downloaded package under (':' in versions is quoted as %3a). */
export function archiveFileName(p: ResolvedPackage): string {
  const quote = (s: string) => s.replace(/%/g, "%25").replace(/:/g, "%3a").replace(/_/g, "%5f");
  return `${quote(p.name)}_${quote(p.version)}_${quote(p.arch)}.deb`;
}

/** "libgl1=1.7.0-1+b2:amd64", the unit of the layer's cache key. */
export function describePackage(p: ResolvedPackage): string {
  return `${p.name}=${p.version}:${p.arch}`;
}

export type ResolveProblem =
  | { kind: "unknown"; request: PackageRequest }
  | { kind: "no-version"; request: PackageRequest }
  | { kind: "no-candidate"; request: PackageRequest };

/** Maps apt's "E:" lines about individual packages back to the request (and so the Aptfile line). */
export function resolveProblems(output: string, requests: readonly PackageRequest[]): ResolveProblem[] {
  const byName = new Map(requests.map((r) => [r.name, r]));
  const problems: ResolveProblem[] = [];
  for (const line of output.split("\n")) {
    let m = /^E: Unable to locate package (\S+)/.exec(line);
    const unknown = m?.[1] && byName.get(m[1]);
    if (unknown) problems.push({ kind: "unknown", request: unknown });
    m = /^E: Version '[^']*' for '([^']+)' was not found/.exec(line);
    const noVersion = m?.[1] && byName.get(m[1]);
    if (noVersion) problems.push({ kind: "no-version", request: noVersion });
    m = /^E: Package '([^']+)' has no installation candidate/.exec(line);
    const noCandidate = m?.[1] && byName.get(m[1]);
    if (noCandidate) problems.push({ kind: "no-candidate", request: noCandidate });
  }
  return problems;
}

/** Lines of `apt-get update` output about one source (its errors and warnings). */
export function sourceFailures(output: string, uri: string): string[] {
  const base = uri.replace(/\/+$/, "");
  return output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^(Err:|W:|E:)/.test(l) && l.includes(base));
}

/** Every Err/W/E line of `apt-get update`. */
export function updateFailures(output: string): string[] {
  return output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^(Err:|W:|E:)/.test(l));
}

const TRIPLETS: Record<string, string> = {
  amd64: "x86_64-linux-gnu",
  arm64: "aarch64-linux-gnu",
  arm: "arm-linux-gnueabihf",
  ppc64le: "powerpc64le-linux-gnu",
  s390x: "s390x-linux-gnu",
  "386": "i386-linux-gnu",
};

/** Debian's multiarch triplet for a CNB target arch ("amd64" -> "x86_64-linux-gnu"). */
export function multiarchTriplet(arch: string): string {
  return TRIPLETS[arch] ?? `${arch}-linux-gnu`;
}
