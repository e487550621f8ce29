// Explicit locks (`@EXPLICIT` files): one package URL per line with its hash, installed exactly as
// listed, nothing solved. Hash forms: #sha256:<hex>, #sha256=<hex>, #<64 hex> (sha256), #<32 hex> (md5,
// what `conda list --explicit --md5` writes).
import * as errors from "./errors.js";

export interface ExplicitPackage {
  url: string;
  kind: "sha256" | "md5";
  hash: string;
  line: number;
}

const HASH = /^(?:sha256[:=])?([0-9a-fA-F]{64})$|^(?:md5[:=])?([0-9a-fA-F]{32})$/;

export function parseExplicit(text: string, file: string): ExplicitPackage[] {
  const lines = text.split(/\r?\n/);
  let explicit = false;
  const packages: ExplicitPackage[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const t = raw.trim();
    if (t === "" || t.startsWith("#")) continue;
    if (t === "@EXPLICIT") {
      explicit = true;
      continue;
    }
    const line = i + 1;
    if (!explicit) throw errors.badLockLine(file, line, t, "a package line before @EXPLICIT");
    const at = t.indexOf("#");
    const url = at < 0 ? t : t.slice(0, at);
    if (!/^https?:\/\/\S+\/[^/]+\.(?:conda|tar\.bz2)$/.test(url))
      throw errors.badLockLine(file, line, t, "not an http(s) URL of a .conda or .tar.bz2 file");
    if (at < 0) throw errors.badLockLine(file, line, t, "no hash after the URL");
    const m = HASH.exec(t.slice(at + 1));
    if (!m) throw errors.badLockLine(file, line, t, "the hash is not a sha256 or md5 digest");
    packages.push(
      m[1]
        ? { url, kind: "sha256", hash: m[1].toLowerCase(), line }
        : { url, kind: "md5", hash: (m[2] ?? "").toLowerCase(), line },
    );
  }
  if (!explicit) throw errors.notExplicit(file);
  if (packages.length === 0) throw errors.emptyLock(file);
  return packages;
}
