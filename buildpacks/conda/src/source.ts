// What the environment is built from: an explicit lock for this platform when the app has one (installed
// exactly, nothing solved), else environment.yml (solved at build time). Also the one-package-manager rule.
import { createHash } from "node:crypto";
import type { AppFiles } from "#libcnb";
import { multiplePackageManagers } from "../../python/src/errors.js";
import { PACKAGE_MANAGER_FILES } from "../../python/src/package-managers.js";
import { ENVIRONMENT_FILES, lockFiles } from "./detect.js";
import { parseEnvironment } from "./environment.js";
import * as errors from "./errors.js";
import { type ExplicitPackage, parseExplicit } from "./explicit.js";
import { staleEntries } from "./lock-freshness.js";

export type CondaSource =
  | {
      kind: "environment";
      file: string;
      sha256: string;
      /** As written (names or URLs), with their lines. */
      channels: { value: string; line: number }[];
      specs: string[];
      name?: string;
      /** The `- pip:` section (empty without one) and its line. */
      pip: string[];
      pipLine?: number;
    }
  | { kind: "explicit"; file: string; sha256: string; packages: ExplicitPackage[] };

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Exactly one package manager per app (ml-buildpacks/python enforces it in the other groups; the conda
 * group has no python buildpack, so this one does, with the same message and file list).
 */
export function checkOnlyConda(app: AppFiles): string | undefined {
  const envFiles = ENVIRONMENT_FILES.filter((f) => app.isFile(f));
  if (envFiles.length > 1) throw errors.bothEnvironmentFiles(envFiles);
  const others = PACKAGE_MANAGER_FILES.filter((p) => p.manager !== "conda" && app.isFile(p.file));
  const mine = envFiles[0] ?? lockFiles(app)[0];
  if (others.length && mine) throw multiplePackageManagers([{ file: mine, manager: "conda" }, ...others]);
  return envFiles[0];
}

/** With both files, the lock must still have what environment.yml asks for (see lock-freshness.ts). */
function checkLockFresh(
  app: AppFiles,
  envFile: string,
  lock: string,
  subdir: string,
  packages: readonly ExplicitPackage[],
): void {
  const env = parseEnvironment(
    Buffer.from(app.readBytes(envFile) ?? new Uint8Array()).toString("utf8"),
    envFile,
  );
  const stale = staleEntries(env, packages);
  const pip = env.pip.length ? { line: env.pipLine ?? 1, count: env.pip.length } : undefined;
  if (stale.length || pip) throw errors.lockStale(lock, envFile, subdir, stale, pip);
}

export function readSource(app: AppFiles, subdir: string): CondaSource {
  const envFile = checkOnlyConda(app);
  const locks = lockFiles(app);
  const wanted = `conda-${subdir}.lock`;
  if (locks.length) {
    if (!locks.includes(wanted)) throw errors.lockForOtherPlatform(locks, wanted);
    const bytes = app.readBytes(wanted) ?? new Uint8Array();
    const text = Buffer.from(bytes).toString("utf8");
    const packages = parseExplicit(text, wanted);
    if (envFile) checkLockFresh(app, envFile, wanted, subdir, packages);
    return { kind: "explicit", file: wanted, sha256: sha256(bytes), packages };
  }
  if (!envFile) throw new Error("detect passed without environment.yml or a conda lock");
  const bytes = app.readBytes(envFile) ?? new Uint8Array();
  const env = parseEnvironment(Buffer.from(bytes).toString("utf8"), envFile);
  return {
    kind: "environment",
    file: envFile,
    sha256: sha256(bytes),
    channels: env.channels.map((c) => ({ value: c.value, line: c.line })),
    specs: env.dependencies.map((d) => d.value),
    ...(env.name !== undefined ? { name: env.name } : {}),
    pip: env.pip.map((p) => p.value),
    ...(env.pipLine !== undefined ? { pipLine: env.pipLine } : {}),
  };
}
