// The Aptfile: one Debian package per line ("name" or "name=version"), "#" comments, blank lines.
import { BuildpackError } from "#libcnb";
import * as errors from "./errors.js";
import type { PackageRequest } from "./package-request.js";

/** Debian policy 5.6.1: lowercase letters, digits, + - . ; at least two characters, starting alphanumeric. */
export const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
/** Debian policy 5.6.12: [epoch:]upstream[-revision]. */
export const PACKAGE_VERSION = /^(?:\d+:)?[0-9][A-Za-z0-9.+~:-]*$/;

/** Parses "name" or "name=version"; returns undefined when the text is not a package spec. */
export function parseSpec(text: string): { name: string; version?: string } | undefined {
  const eq = text.indexOf("=");
  const name = eq < 0 ? text : text.slice(0, eq);
  const version = eq < 0 ? undefined : text.slice(eq + 1);
  if (!PACKAGE_NAME.test(name)) return undefined;
  if (version !== undefined && !PACKAGE_VERSION.test(version)) return undefined;
  return version === undefined ? { name } : { name, version };
}

/** An Aptfile this large is not a hand-written package list (50,000 lines of names fit in 1 MiB). */
export const APTFILE_MAX_BYTES = 1024 * 1024;

export function parseAptfile(text: string, file: string): PackageRequest[] {
  const size = Buffer.byteLength(text);
  if (size > APTFILE_MAX_BYTES) throw aptfileTooLarge(file, size);
  const out: PackageRequest[] = [];
  const seen = new Map<string, PackageRequest>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const content = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!content) return;
    if (content.startsWith(":repo:")) throw errors.aptfileRepo(file, line, content);
    if (/\s/.test(content)) throw errors.aptfileSeveralPackages(file, line, content);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(content) || content.endsWith(".deb")) {
      throw errors.aptfileUrl(file, line, content);
    }
    const spec = parseSpec(content);
    if (!spec) throw errors.aptfileBadLine(file, line, content);
    const earlier = seen.get(spec.name);
    if (earlier) {
      if (earlier.version === spec.version) return; // the same request twice: harmless
      throw errors.aptfileConflict(file, earlier.line ?? 0, line, spec.name);
    }
    const req: PackageRequest = { ...spec, origin: `${file}:${line}`, file, line };
    seen.set(spec.name, req);
    out.push(req);
  });
  return out;
}

/** "libgl1" or "libgl1=1.7.0-1+b2", as apt-get takes it. */
export function aptArgument(req: Pick<PackageRequest, "name" | "version">): string {
  return req.version ? `${req.name}=${req.version}` : req.name;
}

function aptfileTooLarge(file: string, size: number): BuildpackError {
  return new BuildpackError({
    title: `${file} is too large (${(size / 1024 / 1024).toFixed(1)} MiB)`,
    body:
      `${file} holds ${size} bytes; an Aptfile lists Debian package names, one per line, and is read only\n` +
      `up to ${APTFILE_MAX_BYTES / 1024 / 1024} MiB. A file this size is usually a generated or binary file committed under\n` +
      "that name.\n\n" +
      `What to do: replace ${file} with the list of packages your app needs (e.g. libgl1), one per line.`,
    file,
  });
}
