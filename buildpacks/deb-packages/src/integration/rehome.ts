// Generic fallback for paths packages hard-code to their own files: absolute symlinks (fontconfig's
// conf.d links to /usr/share/fontconfig/conf.avail), and /usr and /opt paths in config files under etc/
// and in scripts (wrappers that exec /usr/lib/<pkg>/<program>), are pointed at the layer's copy.
// Programs read the layer's etc/ files only where a variable (the env table) sends them; compiled
// programs are left alone (a path inside a binary cannot be lengthened).
import {
  closeSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { inLayer } from "./paths.js";

/** Directories of the layer that are ours, not the packages'. */
const OWN = new Set(["env", "env.build", "env.launch"]);
const MAX_TEXT = 512 * 1024;

/** Every entry under the layer (relative paths), without descending into symlinked directories. */
export function walk(root: string, rel = ""): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(join(root, rel));
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    if (!rel && OWN.has(name)) continue;
    const child = rel ? `${rel}/${name}` : name;
    out.push(child);
    if (lstatSync(join(root, child)).isDirectory()) out.push(...walk(root, child));
  }
  return out;
}

/** Absolute symlinks whose target the layer holds become relative links into the layer. */
export function relinkAbsoluteSymlinks(root: string, entries: readonly string[]): string[] {
  const fixed: string[] = [];
  for (const rel of entries) {
    const abs = join(root, rel);
    if (!lstatSync(abs).isSymbolicLink()) continue;
    const target = readlinkSync(abs);
    if (!target.startsWith("/")) continue;
    const inside = inLayer(root, target);
    if (!inside) continue;
    rmSync(abs);
    symlinkSync(relative(dirname(abs), join(root, inside)), abs);
    fixed.push(rel);
  }
  return fixed;
}

/** Layer-relative targets of the layer's symlinks that stay inside the layer. */
export function symlinkTargets(root: string, entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const rel of entries) {
    const abs = join(root, rel);
    if (!lstatSync(abs).isSymbolicLink()) continue;
    const target = relative(root, resolve(dirname(abs), readlinkSync(abs)));
    if (!target.startsWith("..") && !isAbsolute(target)) out.push(target);
  }
  return out;
}

const PATH_TOKEN = /(?<![\w./-])\/(?:usr|opt)\/[A-Za-z0-9._+@-]+(?:\/[A-Za-z0-9._+@-]+)*/g;

/**
 * Rewrites absolute paths in one config file's text: a path is pointed into the layer when the layer has
 * it and the system does not (a path both have, like /usr/lib/<triplet>, keeps meaning the system's).
 */
export function rewriteConfigText(
  text: string,
  root: string,
  systemHas: (abs: string) => boolean,
): { text: string; paths: string[] } {
  const paths = new Set<string>();
  const out = text.replace(PATH_TOKEN, (p) => {
    const inside = inLayer(root, p);
    if (!inside || systemHas(p)) return p;
    paths.add(p);
    return join(root, inside);
  });
  return { text: out, paths: [...paths].sort() };
}

/**
 * Text files whose paths were pointed into the layer, with those paths: config files under etc/, and
 * scripts (#!) anywhere, whose shebangs and exec lines name their package's programs by absolute path.
 */
export function rehomeTextFiles(
  root: string,
  entries: readonly string[],
  systemHas: (abs: string) => boolean,
): { file: string; paths: string[] }[] {
  const changed: { file: string; paths: string[] }[] = [];
  for (const rel of entries) {
    const abs = join(root, rel);
    const st = lstatSync(abs);
    // Files without owner read and write permission (etc/sudoers is 0440) are left as shipped.
    if (!st.isFile() || st.size > MAX_TEXT || (st.mode & 0o600) !== 0o600) continue;
    if (!rel.startsWith("etc/") && !isScript(abs)) continue;
    const buf = readFileSync(abs);
    if (buf.includes(0)) continue;
    const r = rewriteConfigText(buf.toString("utf8"), root, systemHas);
    if (!r.paths.length) continue;
    writeFileSync(abs, r.text);
    changed.push({ file: rel, paths: r.paths });
  }
  return changed;
}

/** Starts with "#!" (reads two bytes: most files of a layer are not scripts). */
function isScript(abs: string): boolean {
  const fd = openSync(abs, "r");
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b.toString() === "#!";
  } finally {
    closeSync(fd);
  }
}
