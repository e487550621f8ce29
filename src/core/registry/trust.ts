/**
 * The CA certificates the registry client trusts: Node's bundled roots, the system's trust store
 * file and the user's extra CA bundle (--ca-certs / ML_BUILDPACKS_CA_CERTS / the action's CA input).
 * Node 20 reads no system store by itself, and an `ca` option replaces its roots instead of adding
 * to them, so all three are joined here.
 */
import { existsSync, readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { MlBuildpacksError } from "../errors.js";
import { messages } from "../messages.js";

/** Debian/Ubuntu's bundle, also what the build images and the phase containers use. */
export const SYSTEM_TRUST_FILE = "/etc/ssl/certs/ca-certificates.crt";

export interface TrustFiles {
  /** SSL_CERT_FILE when set, else SYSTEM_TRUST_FILE when it exists. */
  system: string | undefined;
  /** The user's extra CA bundle; an unreadable one is an error (they asked for it). */
  extra: string | undefined;
}

/** Pure: which files to read. */
export function trustFiles(
  env: NodeJS.ProcessEnv,
  extra: string | undefined,
  exists: (path: string) => boolean = existsSync,
): TrustFiles {
  const system = env.SSL_CERT_FILE || (exists(SYSTEM_TRUST_FILE) ? SYSTEM_TRUST_FILE : undefined);
  const wanted = extra ?? (env.ML_BUILDPACKS_CA_CERTS || undefined);
  return { system, extra: wanted && wanted !== system ? wanted : undefined };
}

/** Splits a PEM bundle into its certificates (comments and blank lines between them dropped). */
export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/** The `ca` option for TLS connections to registries. */
export function trustedCas(
  files: TrustFiles,
  read: (path: string) => string = (p) => readFileSync(p, "utf8"),
): string[] {
  const cas = new Set<string>(rootCertificates);
  if (files.system) {
    // A missing or unreadable system store leaves Node's roots: what a plain Node client would do.
    try {
      for (const c of pemCertificates(read(files.system))) cas.add(c);
    } catch {}
  }
  if (files.extra) {
    let text: string;
    try {
      text = read(files.extra);
    } catch (err) {
      throw new MlBuildpacksError(
        messages.caCertsUnreadable(files.extra, err instanceof Error ? err.message : String(err)),
      );
    }
    const certs = pemCertificates(text);
    if (certs.length === 0)
      throw new MlBuildpacksError(messages.caCertsUnreadable(files.extra, "no PEM certificate in it"));
    for (const c of certs) cas.add(c);
  }
  return [...cas];
}
