// Makes unpacked packages behave as if dpkg had installed them in /usr, within what a layer and env
// can do (the run image is read-only and non-root): absolute links, and /usr paths in etc/ config and
// scripts, pointed into the layer; update-alternatives links; RUNPATH directories; postinst/trigger
// steps; then the relocation variables. Returns what was done per package, for the build log.
import { join } from "node:path";
import type { Exec } from "#libcnb";
import { type Alternative, applyAlternatives, parseAlternatives } from "./alternatives.js";
import { type EnvSetting, envSettings } from "./env-table.js";
import { inLayer } from "./paths.js";
import { rehomeTextFiles, relinkAbsoluteSymlinks, symlinkTargets, walk } from "./rehome.js";
import { elfRunpaths } from "./runpath.js";
import { STEPS } from "./steps.js";

export interface UnpackedPackage {
  name: string;
  /** Layer-relative paths the package shipped (files, links and directories). */
  files: string[];
  postinst?: string;
}

export interface IntegrationDeps {
  root: string;
  triplet: string;
  exec: Exec;
  /** Whether the build image has an absolute path (the run image has no more than it, for /usr). */
  systemHas: (abs: string) => boolean;
  /** PATH/LD_LIBRARY_PATH with the layer (and these extra library dirs) first, after the links exist. */
  toolEnv: (libDirs: readonly string[]) => Record<string, string>;
}

export interface Integration {
  env: EnvSetting[];
  /** Layer-relative library directories the packages' RUNPATHs name (for LD_LIBRARY_PATH). */
  libDirs: string[];
  /** "package: what was done", one per package that needed something. */
  applied: string[];
  /** Things a maintainer script would have done that were not. */
  notDone: string[];
}

export async function integrate(
  packages: readonly UnpackedPackage[],
  deps: IntegrationDeps,
): Promise<Integration> {
  const { root } = deps;
  const owners = ownership(packages);
  const applied = new Map<string, string[]>();
  const note = (who: string[], text: string) => {
    for (const p of who) applied.set(p, [...(applied.get(p) ?? []), text]);
  };
  const notDone: string[] = [];

  const linked = relinkAbsoluteSymlinks(root, walk(root));
  for (const [pkg, files] of group(linked, owners))
    note([pkg], `${files.length} absolute symlink(s) pointed into the layer`);

  const alternatives: Alternative[] = [];
  for (const p of packages) {
    if (!p.postinst) continue;
    const parsed = parseAlternatives(p.name, p.postinst);
    alternatives.push(...parsed.installs);
    for (const u of parsed.unresolved) notDone.push(`${p.name}: not understood, so not applied: ${u}`);
  }
  for (const l of applyAlternatives(root, alternatives))
    note([l.pkg], `alternative ${l.link} -> ${l.target}`);

  const rewritten = rehomeTextFiles(root, walk(root), deps.systemHas);
  for (const [pkg, files] of group(
    rewritten.map((r) => r.file),
    owners,
  ))
    note([pkg], `/usr paths in ${describeFiles(files)} pointed into the layer`);

  const libDirs: string[] = [];
  for (const r of runpathDirs(root, packages, deps.systemHas)) {
    if (!libDirs.includes(r.dir)) libDirs.push(r.dir);
    note([r.pkg], `RUNPATH /${r.dir} on LD_LIBRARY_PATH`);
  }

  const stepCtx = { root, triplet: deps.triplet, exec: deps.exec, env: deps.toolEnv(libDirs) };
  for (const step of STEPS) {
    const r = await step.run(stepCtx);
    if (r) note(ownersOfAll(r.keyedBy, owners), r.done);
  }

  const env = envSettings(root, deps.triplet);
  // A variable for a file a step generated (FONTCONFIG_FILE) has no owner: the step's line says it.
  for (const s of env) note(ownersOfAll(s.matches, owners), `${s.rule.name} (${s.rule.what})`);

  // etc/ files a link of the layer points at are read through it (OpenJDK's conf/ links to etc/).
  const linkedEtc = symlinkTargets(root, walk(root)).filter((t) => t.startsWith("etc/"));
  notDone.push(...uncoveredEtc(packages, [...env.flatMap((s) => s.paths), ...linkedEtc]));
  return {
    env,
    libDirs,
    applied: [...applied].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, t]) => `${p}: ${t.join("; ")}`),
    notDone,
  };
}

/** Absolute RUNPATH directories of the packages' ELF files that the layer has and the system lacks. */
function runpathDirs(
  root: string,
  packages: readonly UnpackedPackage[],
  systemHas: (abs: string) => boolean,
): { pkg: string; dir: string }[] {
  const out: { pkg: string; dir: string }[] = [];
  for (const p of packages) {
    const seen = new Set<string>();
    for (const f of p.files) {
      if (!/\.so(\.|$)|^(usr\/)?s?bin\//.test(f)) continue;
      for (const entry of elfRunpaths(join(root, f))) {
        const dir = entry.startsWith("/") ? inLayer(root, entry) : undefined;
        if (!dir || seen.has(dir) || systemHas(entry)) continue;
        seen.add(dir);
        out.push({ pkg: p.name, dir });
      }
    }
  }
  return out;
}

interface Owners {
  of(rel: string): string[];
}

/** Which packages shipped a path (for a directory: anything under it). */
export function ownership(packages: readonly UnpackedPackage[]): Owners {
  // Each path and each of its parent directories, to the packages that shipped something there: one
  // pass over the listings, so lookups stay cheap for layers of many thousand files.
  const index = new Map<string, Set<string>>();
  for (const p of packages)
    for (const f of p.files) {
      const parts = f.split("/");
      for (let n = 1; n <= parts.length; n++) {
        const key = parts.slice(0, n).join("/");
        const set = index.get(key) ?? new Set<string>();
        set.add(p.name);
        index.set(key, set);
      }
    }
  return { of: (rel) => [...(index.get(rel) ?? [])] };
}

function ownersOfAll(paths: readonly string[], owners: Owners): string[] {
  return [...new Set(paths.flatMap((p) => owners.of(p)))].sort();
}

function group(paths: readonly string[], owners: Owners): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of paths) for (const o of owners.of(p)) out.set(o, [...(out.get(o) ?? []), p]);
  return out;
}

/**
 * Config files under etc/ that no variable or generated config makes a program read from the layer: the
 * program looks for them in /etc and finds nothing (its built-in defaults apply).
 */
function uncoveredEtc(packages: readonly UnpackedPackage[], readPaths: readonly string[]): string[] {
  // Directories: the parents of every listed path (a listing names directories too).
  const dirs = new Set(
    packages.flatMap((p) => p.files.map((f) => f.slice(0, Math.max(0, f.lastIndexOf("/"))))),
  );
  const covered = [
    ...readPaths.filter((p) => p.startsWith("etc/")),
    "etc/fonts",
    "etc/ld.so.conf.d",
    "etc/alternatives",
  ];
  const out: string[] = [];
  for (const p of packages) {
    const files = p.files.filter(
      (f) =>
        f.startsWith("etc/") &&
        !covered.some((c) => f === c || f.startsWith(`${c}/`) || c.startsWith(`${f}/`)) &&
        !dirs.has(f),
    );
    if (!files.length) continue;
    out.push(
      `${p.name}: ${describeFiles(files)} not read from the layer (programs look in /etc; their built-in defaults apply)`,
    );
  }
  return out;
}

function describeFiles(files: readonly string[]): string {
  return files.slice(0, 3).join(", ") + (files.length > 3 ? ` and ${files.length - 3} more` : "");
}
