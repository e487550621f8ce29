// Build secrets: values the buildpacks read as env (private index tokens) that are kept apart from
// the build env. They reach the detect and build phases only, are masked in every log, and are left
// out of the inputs digest (they decide whether downloads work, not what is built).
import { MlBuildpacksError } from "./errors.js";
import type { Logger } from "./log.js";
import { messages } from "./messages.js";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where `--secret` values come from: this process's env and files; injectable for tests. */
export interface SecretSources {
  env: NodeJS.ProcessEnv;
  /** The file's text, or undefined when it cannot be read. */
  readFile: (path: string) => string | undefined;
}

const secretUsage = (spec: string, problem: string) =>
  new MlBuildpacksError(
    messages.usage(
      `--secret ${spec}: ${problem}`,
      "write it as --secret id=NAME,env=VAR (the value of this shell's $VAR) or --secret id=NAME,src=FILE " +
        "(the file's content); NAME is the variable the buildpacks see, e.g. PIP_INDEX_URL",
    ),
  );

/**
 * Pure given `sources`: `--secret` specs -> env name -> value. `id=NAME` alone reads $NAME. The value
 * never comes from argv (visible in `ps` and shell history). A file's one trailing newline is dropped:
 * Kubernetes Secrets and `echo > file` leave one, and it would break a URL.
 */
export function parseSecretSpecs(specs: readonly string[], sources: SecretSources): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const spec of specs) {
    const fields: Record<string, string> = {};
    for (const part of spec.split(",")) {
      const eq = part.indexOf("=");
      const key = eq > 0 ? part.slice(0, eq).trim() : "";
      if (!["id", "env", "src"].includes(key))
        throw secretUsage(spec, `"${part}" is not id=..., env=... or src=...`);
      if (key in fields) throw secretUsage(spec, `${key}= is given twice`);
      fields[key] = part.slice(eq + 1).trim();
    }
    const id = fields.id;
    if (!id) throw secretUsage(spec, "id=NAME is missing");
    if (!ENV_NAME.test(id)) throw secretUsage(spec, `id "${id}" is not a variable name (letters, digits, _)`);
    if (id.startsWith("CNB_")) throw secretUsage(spec, `CNB_* names are the lifecycle's (${id})`);
    if (id in secrets) throw secretUsage(spec, `the secret ${id} is given twice`);
    if (fields.env !== undefined && fields.src !== undefined)
      throw secretUsage(spec, "give env= or src=, not both");
    secrets[id] = secretValue(spec, id, fields, sources);
  }
  return secrets;
}

function secretValue(
  spec: string,
  id: string,
  fields: Record<string, string>,
  sources: SecretSources,
): string {
  if (fields.src !== undefined) {
    if (!fields.src) throw secretUsage(spec, "src= names no file");
    const text = sources.readFile(fields.src);
    if (text === undefined) throw secretUsage(spec, `the file ${fields.src} cannot be read`);
    const value = text.replace(/\r?\n$/, "");
    if (!value) throw secretUsage(spec, `the file ${fields.src} is empty`);
    return value;
  }
  const variable = fields.env || id;
  const value = sources.env[variable];
  if (!value) throw secretUsage(spec, `the environment variable ${variable} is not set (or empty)`);
  return value;
}

/** Pure: refuses a name that is both build env and a secret (which value would the buildpacks see?). */
export function checkSecretsApart(env: Record<string, string>, secrets: Record<string, string>): void {
  const both = Object.keys(secrets).filter((name) => name in env);
  if (both.length > 0)
    throw new MlBuildpacksError(
      messages.usage(
        `${both.join(", ")} ${both.length === 1 ? "is" : "are"} given both as build env and as a secret`,
        "pass each name once: as a secret when its value is a credential, else as env",
      ),
    );
}

/**
 * Pure: the strings to mask for a secret's value: the value itself, each of its lines, and, for a URL
 * with credentials (https://user:TOKEN@host/simple), the password and user:password, which tools
 * print when they redact or rewrite the URL.
 */
export function maskablesOf(value: string): string[] {
  const found = new Set<string>([value, ...value.split(/\r?\n/)]);
  for (const match of value.matchAll(/[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/gi)) {
    const userinfo = match[1] ?? "";
    found.add(userinfo);
    const colon = userinfo.indexOf(":");
    if (colon >= 0) found.add(userinfo.slice(colon + 1));
    for (const part of [...found]) found.add(safeDecode(part));
  }
  // The value itself always; parts too short to mask without garbling the log (a one-letter user
  // name, a blank line) are left out.
  return [...found].filter((s) => (s === value && s !== "") || s.trim().length >= 3);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Pure: `text` with every mask replaced by ***, longest first (a token inside a URL goes with it). */
export function maskText(text: string, masks: readonly string[]): string {
  let out = text;
  for (const m of [...masks].sort((a, b) => b.length - a.length)) out = out.split(m).join("***");
  return out;
}

/** A logger that masks registered secrets in everything it writes: the CLI's registerSecret. */
export class MaskingLogger implements Logger {
  private readonly masks = new Set<string>();

  constructor(private readonly inner: Logger) {}

  /** Masks `secret` (and its parts, see maskablesOf) from now on. */
  register(secret: string): void {
    for (const m of maskablesOf(secret)) this.masks.add(m);
  }

  private mask(text: string): string {
    return this.masks.size === 0 ? text : maskText(text, [...this.masks]);
  }

  info(message: string): void {
    this.inner.info(this.mask(message));
  }
  warn(message: string): void {
    this.inner.warn(this.mask(message));
  }
  error(message: string): void {
    this.inner.error(this.mask(message));
  }
  output(line: string): void {
    this.inner.output(this.mask(line));
  }
  group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    return this.inner.group(this.mask(title), fn);
  }
}
