// The inputs the lifecycle hands a buildpack (Buildpack API 0.10), read from env and files.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { BuildpackError } from "./errors.js";
import { isNotFound } from "./files.js";
import { isTable, readTomlFile } from "./toml.js";

/** From <buildpack>/buildpack.toml. */
export interface BuildpackInfo {
  /** CNB_BUILDPACK_DIR */
  dir: string;
  /** Buildpack API declared in buildpack.toml (`api`). */
  api: string;
  id: string;
  version: string;
  name: string;
  homepage?: string;
}

/** CNB_TARGET_* (Buildpack API 0.10+). Distro fields are "" when the run image doesn't declare them. */
export interface Target {
  os: string;
  arch: string;
  archVariant: string;
  distroName: string;
  distroVersion: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function readBuildpackInfo(dir: string): BuildpackInfo {
  const path = join(dir, "buildpack.toml");
  const toml = readTomlFile(path);
  const bp = toml.buildpack;
  if (!isTable(bp) || typeof bp.id !== "string" || typeof bp.version !== "string") {
    throw new Error(`${path}: [buildpack] must have string id and version`);
  }
  return {
    dir,
    api: typeof toml.api === "string" ? toml.api : "",
    id: bp.id,
    version: bp.version,
    name: typeof bp.name === "string" ? bp.name : bp.id,
    ...(typeof bp.homepage === "string" ? { homepage: bp.homepage } : {}),
  };
}

const NODE_ARCH: Record<string, string> = {
  x64: "amd64",
  arm64: "arm64",
  arm: "arm",
  ppc64: "ppc64le",
  s390x: "s390x",
};

/**
 * The build target. The lifecycle always sets CNB_TARGET_OS/ARCH for Buildpack API 0.10; when run
 * by hand (tests, a host shell) os/arch fall back to Node's view of the host and the distro to "".
 */
export function readTarget(env: Env): Target {
  return {
    os: env.CNB_TARGET_OS || process.platform,
    arch: env.CNB_TARGET_ARCH || NODE_ARCH[process.arch] || process.arch,
    archVariant: env.CNB_TARGET_ARCH_VARIANT ?? "",
    distroName: env.CNB_TARGET_DISTRO_NAME ?? "",
    distroVersion: env.CNB_TARGET_DISTRO_VERSION ?? "",
  };
}

/** "linux/amd64 (debian 13)" for log lines. */
export function describeTarget(t: Target): string {
  const arch = t.archVariant ? `${t.arch}/${t.archVariant}` : t.arch;
  const distro = t.distroName ? ` (${t.distroName}${t.distroVersion ? ` ${t.distroVersion}` : ""})` : "";
  return `${t.os}/${arch}${distro}`;
}

/**
 * User-provided build env: one file per variable in <platform>/env, the file's content being the value
 * (verbatim, as the lifecycle reads it). The lifecycle already exports these to the buildpack process
 * unless the buildpack sets clear-env; this map lets code tell platform-provided values apart.
 */
export function readPlatformEnv(platformDir: string): Record<string, string> {
  const dir = join(platformDir, "env");
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    if (isNotFound(err)) return {};
    throw err;
  }
  const env: Record<string, string> = {};
  for (const name of names) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    env[name] = readFileSync(path, "utf8");
  }
  return env;
}

/** Reads a required CNB_* variable, with a message that says who should have set it. */
export function requireEnv(env: Env, name: string, phase: string): string {
  const value = env[name];
  if (!value) {
    throw new BuildpackError({
      title: `${name} is not set`,
      body:
        `The ${phase} step of a Buildpack API 0.10 buildpack expects the lifecycle to set ${name}.\n` +
        "Run this buildpack through the CNB lifecycle (or pack), or set the variable when running it by hand.",
    });
  }
  return value;
}
