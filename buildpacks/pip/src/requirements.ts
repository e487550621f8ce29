// What the venv depends on in the app: requirements.txt, the files it includes (-r/-c), and
// local paths it installs (which can change without any requirements file changing).
import { createHash } from "node:crypto";
import { dirname, join, normalize } from "node:path";
import type { AppFiles } from "#libcnb";

export interface LocalPath {
  file: string;
  line: number;
  spec: string;
}

export interface RequirementsFingerprint {
  /** sha256 of requirements.txt itself (what `sha256sum requirements.txt` prints). */
  sha256: string;
  /** sha256 over the files requirements.txt includes with -r/-c, recursively ("" when none). */
  includedSha256: string;
  /** Included files, relative to the app dir, in the order found. */
  included: string[];
  localPaths: LocalPath[];
  /** Some requirement carries --hash: pip runs in hash-checking mode (every package needs one). */
  hashed: boolean;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

interface Line {
  text: string;
  line: number;
}

/** Logical lines the way pip reads them: "\" continues a line, "#" after whitespace starts a comment. */
export function logicalLines(text: string): Line[] {
  const out: Line[] = [];
  let pending: Line | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const continued = raw.endsWith("\\");
    const body = continued ? raw.slice(0, -1) : raw;
    pending = pending ? { text: pending.text + body, line: pending.line } : { text: body, line: i + 1 };
    if (continued) return;
    const stripped = pending.text.replace(/(^|\s)#.*$/, "").trim();
    if (stripped) out.push({ text: stripped, line: pending.line });
    pending = undefined;
  });
  if (pending) {
    const stripped = pending.text.replace(/(^|\s)#.*$/, "").trim();
    if (stripped) out.push({ text: stripped, line: pending.line });
  }
  return out;
}

const INCLUDE = /^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?<=^-[rc]))(\S+)$/;
const EDITABLE = /^(?:-e|--editable)(?:\s*=\s*|\s+)(\S.*)$/;

function isLocal(spec: string): boolean {
  if (/^(?:\.|\/|file:)/.test(spec)) return true;
  if (/\s@\s*file:/.test(spec)) return true;
  // A bare relative path with a slash ("libs/mypkg", "wheels/x.whl") that isn't a URL.
  return (
    spec.includes("/") && !spec.includes("://") && !/^[A-Za-z0-9_.-]+\s*@/.test(spec) && !spec.startsWith("-")
  );
}

export function fingerprintRequirements(app: AppFiles, entry: string): RequirementsFingerprint {
  const included: string[] = [];
  const localPaths: LocalPath[] = [];
  let hashed = false;
  const seen = new Set<string>([normalize(entry)]);
  const includedHash = createHash("sha256");

  const scan = (file: string, text: string) => {
    for (const { text: l, line } of logicalLines(text)) {
      if (/(?:^|\s)--hash[=\s]/.test(l) || l === "--require-hashes") hashed = true;
      const inc = INCLUDE.exec(l);
      if (inc?.[1]) {
        const target = inc[1];
        if (target.includes("://")) {
          includedHash.update(`url\0${target}\0`);
          continue;
        }
        const rel = target.startsWith("/") ? target : normalize(join(dirname(file), target));
        if (seen.has(rel)) continue;
        seen.add(rel);
        included.push(rel);
        const bytes = rel.startsWith("/") ? undefined : app.readBytes(rel);
        includedHash.update(`${rel}\0`);
        includedHash.update(bytes ?? "(missing)");
        includedHash.update("\0");
        if (bytes) scan(rel, Buffer.from(bytes).toString("utf8"));
        continue;
      }
      if (l.startsWith("-") && !EDITABLE.test(l)) continue; // other options: --index-url, --hash ...
      const spec = (EDITABLE.exec(l)?.[1] ?? l).trim();
      if (isLocal(spec)) localPaths.push({ file, line, spec: l });
    }
  };

  const bytes = app.readBytes(entry);
  if (!bytes) throw new Error(`${entry} disappeared from the app`);
  scan(entry, app.readText(entry) ?? ""); // strict UTF-8: a binary file is reported as such, not given to pip
  return {
    sha256: sha256(bytes),
    includedSha256: included.length ? includedHash.digest("hex") : "",
    included,
    localPaths,
    hashed,
  };
}
