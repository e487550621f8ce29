// Layer-relative path patterns: "usr/lib/<triplet>/ImageMagick-*/modules-*/coders". <triplet> is the
// target's multiarch triplet; "*" within a segment matches any run of characters in that segment.
import { lstatSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Layer-relative paths matching the pattern, newest-looking first (ImageMagick-7.1 before -6.9). */
export function expand(root: string, pattern: string, triplet: string): string[] {
  const segments = pattern.replaceAll("<triplet>", triplet).split("/").filter(Boolean);
  let found = [""];
  for (const seg of segments) {
    const next: string[] = [];
    for (const base of found) {
      if (!seg.includes("*")) {
        const rel = base ? `${base}/${seg}` : seg;
        if (exists(join(root, rel))) next.push(rel);
        continue;
      }
      const re = segmentRegExp(seg);
      for (const name of list(join(root, base)))
        if (re.test(name)) next.push(base ? `${base}/${name}` : name);
    }
    found = next;
  }
  return found.filter(Boolean).sort(newestFirst);
}

function segmentRegExp(seg: string): RegExp {
  const body = seg
    .split("*")
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/]*");
  return new RegExp(`^${body}$`);
}

/** Descending, comparing digit runs as numbers (so 10 sorts above 9). */
export function newestFirst(a: string, b: string): number {
  return b.localeCompare(a, "en", { numeric: true });
}

/** The path, "up" directories higher ("up" 1: its parent). */
export function ancestor(rel: string, up: number): string {
  const parts = rel.split("/");
  return parts.slice(0, Math.max(1, parts.length - up)).join("/");
}

/**
 * usrmerge aliases of an absolute path: Debian now ships /bin, /sbin and /lib* under /usr, but
 * maintainer scripts and symlinks may still name either spelling.
 */
export function usrmergeAliases(abs: string): string[] {
  const m = /^\/(bin|sbin|lib[^/]*)(\/.*)?$/.exec(abs);
  if (m) return [abs, `/usr/${m[1]}${m[2] ?? ""}`];
  const u = /^\/usr\/(bin|sbin|lib[^/]*)(\/.*)?$/.exec(abs);
  if (u) return [abs, `/${u[1]}${u[2] ?? ""}`];
  return [abs];
}

/** The layer-relative spelling of an absolute path that exists in the layer (following usrmerge). */
export function inLayer(root: string, abs: string): string | undefined {
  for (const a of usrmergeAliases(abs)) {
    const rel = a.replace(/^\/+/, "");
    if (rel && exists(join(root, rel))) return rel;
  }
  return undefined;
}

export function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** True for a path that is there, even as a dangling symlink. */
export function present(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

export function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
