// update-alternatives, done at build time: the command (or library) links a package's postinst would
// register, made as relative symlinks inside the layer. Only literal arguments are trusted: a line
// whose paths depend on something other than a plain VAR=value assignment of the script is reported,
// not guessed.
import { mkdirSync, symlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { inLayer, present, usrmergeAliases } from "./paths.js";

export interface AlternativeLink {
  link: string;
  name: string;
  path: string;
}

export interface Alternative extends AlternativeLink {
  priority: number;
  slaves: AlternativeLink[];
  /** The package whose postinst registers it. */
  pkg: string;
}

export interface ParsedAlternatives {
  installs: Alternative[];
  /** update-alternatives --install commands that could not be read literally. */
  unresolved: string[];
}

export function parseAlternatives(pkg: string, script: string): ParsedAlternatives {
  const text = script.replace(/\\\r?\n/g, " ");
  const vars = assignments(text);
  const installs: Alternative[] = [];
  const unresolved: string[] = [];
  for (const line of text.split("\n")) {
    const at = line.search(/\bupdate-alternatives\b/);
    if (at < 0 || !/\s--install\s/.test(line)) continue;
    // One command: up to a shell separator.
    const command = line.slice(at).split(/;|&&|\|\||\|/)[0] ?? "";
    const words = command
      .trim()
      .split(/\s+/)
      .map((w) => substitute(unquote(w), vars));
    if (words.some((w) => /[$`*]/.test(w))) {
      unresolved.push(command.trim().replace(/\s+/g, " "));
      continue;
    }
    const alt = readInstall(pkg, words);
    if (alt) installs.push(alt);
    else unresolved.push(command.trim().replace(/\s+/g, " "));
  }
  return { installs, unresolved };
}

function readInstall(pkg: string, words: string[]): Alternative | undefined {
  const i = words.indexOf("--install");
  const [link, name, path, prio] = words.slice(i + 1, i + 5);
  if (!link || !name || !path || !prio || !/^-?\d+$/.test(prio)) return undefined;
  const slaves: AlternativeLink[] = [];
  for (let j = i + 5; j < words.length; j++) {
    if (words[j] !== "--slave") continue;
    const [sl, sn, sp] = words.slice(j + 1, j + 4);
    if (!sl || !sn || !sp) return undefined;
    slaves.push({ link: sl, name: sn, path: sp });
    j += 3;
  }
  return { pkg, link, name, path, priority: Number(prio), slaves };
}

/** Plain top-level NAME=value assignments; a name assigned two different values is dropped. */
function assignments(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  const conflicting = new Set<string>();
  for (const line of text.split("\n")) {
    const m =
      /^\s*(?:export\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=("[^"$`]*"|'[^']*'|[^\s;$`"'|&]*)\s*;?\s*$/.exec(
        line,
      );
    if (!m?.[1] || m[2] === undefined) continue;
    const value = unquote(m[2]);
    if (vars.has(m[1]) && vars.get(m[1]) !== value) conflicting.add(m[1]);
    vars.set(m[1], value);
  }
  for (const c of conflicting) vars.delete(c);
  return vars;
}

function unquote(w: string): string {
  return w.replace(/^(["'])(.*)\1$/, "$2");
}

function substitute(word: string, vars: Map<string, string>): string {
  return word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, a, b) => {
    const v = vars.get((a ?? b) as string);
    return v ?? whole;
  });
}

export interface MadeLink {
  pkg: string;
  /** Layer-relative link, and what it points at. */
  link: string;
  target: string;
}

/**
 * For each alternative name, the highest-priority registration whose target the layer has wins (as
 * update-alternatives' auto mode would choose among what is installed); its master and slave links are
 * created unless the layer already has something at that path.
 */
export function applyAlternatives(root: string, alternatives: readonly Alternative[]): MadeLink[] {
  const best = new Map<string, Alternative>();
  for (const a of alternatives) {
    if (!inLayer(root, a.path)) continue;
    const cur = best.get(a.name);
    if (!cur || a.priority > cur.priority) best.set(a.name, a);
  }
  const made: MadeLink[] = [];
  for (const a of [...best.values()].sort((x, y) => (x.name < y.name ? -1 : 1))) {
    for (const l of [a, ...a.slaves]) {
      const target = inLayer(root, l.path);
      if (!target) continue;
      const link = l.link.replace(/^\/+/, "");
      if (!link || usrmergeAliases(l.link).some((p) => present(join(root, p)))) continue;
      const abs = join(root, link);
      mkdirSync(dirname(abs), { recursive: true });
      symlinkSync(relative(dirname(abs), join(root, target)), abs);
      made.push({ pkg: a.pkg, link, target });
    }
  }
  return made;
}
