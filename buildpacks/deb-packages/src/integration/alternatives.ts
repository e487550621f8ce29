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
  const lines = script.replace(/\\\r?\n/g, " ").split("\n");
  const vars = assignments(lines);
  const installs: Alternative[] = [];
  const unresolved: string[] = [];
  for (const { line, scope } of unrollLoops(lines, vars)) {
    const at = line.search(/\bupdate-alternatives\b/);
    if (at < 0 || !/\s--install\s/.test(line)) continue;
    // One command: up to a shell separator.
    const command = (line.slice(at).split(/;|&&|\|\||\|/)[0] ?? "").trim();
    const words = command.split(/\s+/).map((w) => substitute(unquote(w), scope));
    const alt = readInstall(pkg, words);
    if (alt) installs.push(alt);
    else unresolved.push(command.replace(/\s+/g, " "));
  }
  return { installs, unresolved: [...new Set(unresolved)] };
}

interface ScopedLine {
  line: string;
  scope: Map<string, string>;
}

/**
 * `for VAR in WORDS; do ... done` run at parse time when WORDS are literal (or literal variables):
 * the body once per word with VAR bound, as ImageMagick and OpenJDK register one alternative per tool.
 */
function unrollLoops(lines: readonly string[], scope: Map<string, string>): ScopedLine[] {
  const out: ScopedLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const head = /^\s*for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+(.*?)\s*(;\s*do)?\s*$/.exec(line);
    if (!head?.[1] || head[2] === undefined) {
      out.push({ line, scope });
      continue;
    }
    let start = i + 1;
    if (!head[3]) {
      if (!/^\s*do\s*$/.test(lines[start] ?? "")) {
        out.push({ line, scope });
        continue;
      }
      start++;
    }
    const end = loopEnd(lines, start);
    const body = lines.slice(start, end);
    const words = head[2]
      .split(/\s+/)
      .filter(Boolean)
      .flatMap((w) => substitute(unquote(w), scope).split(/\s+/));
    if (words.some((w) => /[$`*]/.test(w))) out.push(...body.map((l) => ({ line: l, scope })));
    else for (const w of words) out.push(...unrollLoops(body, new Map([...scope, [head[1], w]])));
    i = end;
  }
  return out;
}

/** Index of the `done` closing a loop whose body starts at `start` (nested loops counted). */
function loopEnd(lines: readonly string[], start: number): number {
  let depth = 1;
  for (let i = start; i < lines.length; i++) {
    const l = lines[i] ?? "";
    if (/^\s*(for|while|until)\b/.test(l)) depth++;
    if (/^\s*done\b/.test(l) && --depth === 0) return i;
  }
  return lines.length;
}

/** undefined when a word is not literal (a variable we could not resolve, a command substitution). */
function readInstall(pkg: string, all: string[]): Alternative | undefined {
  const at = all.indexOf("--install");
  // A bare unknown variable after the priority is an optional group of --slave words (OpenJDK's
  // $slave1 for man pages): left out, as when the script leaves it empty.
  const words = all.filter((w, j) => !(j > at + 4 && /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(w)));
  if (words.some((w) => /[$`*]/.test(w))) return undefined;
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

/**
 * Plain NAME=value assignments (a value may use variables assigned before it); a name assigned two
 * different literal values is dropped. Assignments from command output are not followed.
 */
function assignments(lines: readonly string[]): Map<string, string> {
  const vars = new Map<string, string>();
  const conflicting = new Set<string>();
  for (const line of lines) {
    const m =
      /^\s*(?:export\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=("[^"`]*"|'[^']*'|[^\s;`"'|&()]*)\s*;?\s*$/.exec(
        line,
      );
    if (!m?.[1] || m[2] === undefined) continue;
    const value = m[2].startsWith("'") ? unquote(m[2]) : substitute(unquote(m[2]), vars);
    if (/[$`]/.test(value)) continue;
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
