// The "packages" layer: the resolved .deb files unpacked (dpkg-deb -x) as a root tree (usr/lib/...).
//
// Flags: launch=true (the app needs the libraries), build=true (later buildpacks in this build, e.g. pip
// compiling an sdist, need headers, pkg-config files and tools), cache=true (a build=true layer is only
// ever restored from the cache). When the resolved package set is unchanged and the cache restored the
// contents, the layer is kept as is: the exporter finds the same digest and reuses the previous image's
// layer. Any change rebuilds it from scratch.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BuildContext, type Describers, type Layer, versionChanged } from "#libcnb";
import { describePackage, multiarchTriplet, type ResolvedPackage } from "../apt.js";
import type { EnvSetting } from "../integration/env-table.js";

// 2: translations and changelogs left out too (DROP). 3: maintainer-script work done in the layer
// (integration/), relocation variables, bin/ and sbin/ on PATH. 4: RUNPATH dirs, scripts, Java cacerts.
export const PACKAGES_LAYER_VERSION = 4;

export type PackagesKey = {
  layer_version: number;
  arch: string;
  distro_name: string;
  distro_version: string;
  /** Sorted "name=version:arch" of every package in the layer, space-separated. */
  packages: string;
};

export function packagesKey(
  target: BuildContext["target"],
  resolved: readonly ResolvedPackage[],
): PackagesKey {
  return {
    layer_version: PACKAGES_LAYER_VERSION,
    arch: target.archVariant ? `${target.arch}/${target.archVariant}` : target.arch,
    distro_name: target.distroName,
    distro_version: target.distroVersion,
    packages: resolved.map(describePackage).sort().join(" "),
  };
}

/** "packages changed: + libfoo=1, - libbar=2, libbaz 1 -> 2" */
export function describePackagesChange(before: unknown, after: string): string {
  const parse = (s: unknown) =>
    new Map(
      (typeof s === "string" ? s.split(" ").filter(Boolean) : []).map((p) => {
        const eq = p.indexOf("=");
        return [p.slice(0, eq), p.slice(eq + 1)] as const;
      }),
    );
  const old = parse(before);
  const now = parse(after);
  const parts: string[] = [];
  for (const [name, v] of now) {
    const was = old.get(name);
    if (was === undefined) parts.push(`+ ${name} ${v}`);
    else if (was !== v) parts.push(`${name} ${was} -> ${v}`);
  }
  for (const [name, v] of old) if (!now.has(name)) parts.push(`- ${name} ${v}`);
  const shown = parts.slice(0, 8).join(", ") + (parts.length > 8 ? `, and ${parts.length - 8} more` : "");
  return `the resolved packages changed: ${shown}`;
}

export const PACKAGES_DESCRIBERS: Describers<PackagesKey> = {
  layer_version: versionChanged("packages layer format"),
  arch: versionChanged("architecture"),
  distro_name: versionChanged("distribution"),
  distro_version: versionChanged("distribution version"),
  packages: describePackagesChange,
};

/**
 * Documentation and translations nothing reads in a container, as Debian's slim images leave them
 * out with dpkg path-excludes; copyright files (usr/share/doc/<package>/copyright) stay.
 */
const DROP = ["usr/share/man", "usr/share/info", "usr/share/lintian", "usr/share/locale", "usr/share/bug"];

/** usr/share/doc without everything but the copyright files. */
function dropPackageDocs(layer: string): void {
  const doc = join(layer, "usr/share/doc");
  if (!isDir(doc)) return;
  for (const pkg of readdirSync(doc)) {
    const dir = join(doc, pkg);
    if (!isDir(dir)) continue;
    for (const entry of readdirSync(dir))
      if (entry !== "copyright") rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

/**
 * Makes the unpacked tree usable from where it is: pkg-config files point at the layer instead of /usr,
 * and unneeded documentation goes.
 */
export function relocate(layer: Layer, arch: string): string[] {
  for (const d of DROP) rmSync(join(layer.path, d), { recursive: true, force: true });
  dropPackageDocs(layer.path);
  const rewritten: string[] = [];
  for (const dir of pkgConfigDirs(arch)) {
    const abs = join(layer.path, dir);
    if (!isDir(abs)) continue;
    for (const name of readdirSync(abs)) {
      if (!name.endsWith(".pc")) continue;
      const file = join(abs, name);
      const text = readFileSync(file, "utf8");
      const fixed = text.replace(
        /^((?:prefix|exec_prefix|libdir|includedir)=)\/usr(?=\/|$)/gm,
        `$1${layer.path}/usr`,
      );
      if (fixed !== text) {
        writeFileSync(file, fixed);
        rewritten.push(`${dir}/${name}`);
      }
    }
  }
  return rewritten;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function pkgConfigDirs(arch: string): string[] {
  const t = multiarchTriplet(arch);
  return [`usr/lib/${t}/pkgconfig`, "usr/lib/pkgconfig", "usr/share/pkgconfig"];
}

const binDirs = () => ["usr/local/bin", "usr/bin", "usr/sbin", "bin", "sbin"];

/** Library directories: the standard ones and those the packages' etc/ld.so.conf.d files add. */
function libDirs(layerPath: string, t: string, extra: readonly string[]): string[] {
  const dirs = [`usr/lib/${t}`, "usr/lib", `lib/${t}`, ...extra];
  const conf = join(layerPath, "etc/ld.so.conf.d");
  if (!isDir(conf)) return dirs;
  for (const name of readdirSync(conf).sort()) {
    if (!name.endsWith(".conf")) continue;
    for (const line of readFileSync(join(conf, name), "utf8").split("\n")) {
      const dir = line.trim();
      if (dir.startsWith("/")) dirs.push(dir.slice(1));
    }
  }
  return [...new Set(dirs)];
}

function existingDirs(layerPath: string, dirs: string[]): string {
  return dirs
    .map((d) => join(layerPath, d))
    .filter((d) => existsSync(d) && isDir(d))
    .join(":");
}

/** PATH and LD_LIBRARY_PATH for running the layer's own tools during the build. */
export function toolEnv(
  layerPath: string,
  arch: string,
  env: Record<string, string | undefined>,
  extraLibDirs: readonly string[] = [],
) {
  const join2 = (a: string, b: string | undefined) => [a, b].filter(Boolean).join(":");
  return {
    PATH: join2(existingDirs(layerPath, binDirs()), env.PATH ?? "/usr/bin:/bin"),
    LD_LIBRARY_PATH: join2(
      existingDirs(layerPath, libDirs(layerPath, multiarchTriplet(arch), extraLibDirs)),
      env.LD_LIBRARY_PATH,
    ),
  };
}

/**
 * Search paths for what the packages contain (only directories that exist): PATH and LD_LIBRARY_PATH
 * for build and launch; LIBRARY_PATH, CPATH and PKG_CONFIG_PATH for later buildpacks' compilers. Then
 * the relocation variables (integration/env-table.ts), for build and launch alike.
 */
export function writePackagesEnv(
  layer: Layer,
  arch: string,
  settings: readonly EnvSetting[] = [],
  extraLibDirs: readonly string[] = [],
): Record<string, string> {
  const t = multiarchTriplet(arch);
  const set: Record<string, string> = {};
  const add = (scope: "shared" | "build", name: string, dirs: string[]) => {
    const value = existingDirs(layer.path, dirs);
    if (!value) return;
    layer.env[scope].prepend(name, value, ":");
    set[name] = value;
  };
  add("shared", "PATH", binDirs());
  add("shared", "LD_LIBRARY_PATH", libDirs(layer.path, t, extraLibDirs));
  add("build", "LIBRARY_PATH", [`usr/lib/${t}`, "usr/lib", `lib/${t}`]);
  add("build", "CPATH", [`usr/include/${t}`, "usr/include"]);
  add("build", "PKG_CONFIG_PATH", pkgConfigDirs(arch));
  for (const s of settings) {
    if (s.action === "prepend") layer.env.shared.prepend(s.rule.name, s.value, ":");
    else layer.env.shared.default(s.rule.name, s.value);
    set[s.rule.name] = s.value;
  }
  return set;
}
