// The last step of every Python package manager buildpack: slim the installed environment, then
// give it bytecode that is valid in the image.
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { BuildContext } from "../libcnb/index.js";
import { compileBytecode } from "./bytecode.js";

/** Set to true to keep the packages' own test suites in the image. */
export const KEEP_TESTS_ENV = "BP_KEEP_PACKAGE_TESTS";

/**
 * Removes the `tests` folders packages ship inside site-packages (pandas' alone is 30 MB): nothing
 * imports them at run time, and they are a fifth of a typical ML venv. Returns what went.
 */
export function pruneTestFolders(sitePackages: string): { folders: number; bytes: number } {
  let folders = 0;
  let bytes = 0;
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      // Top-level `tests` is a (badly packaged) distribution's own module, not a test suite inside one.
      if (entry.name === "tests" && depth > 0) {
        bytes += treeSize(path);
        rmSync(path, { recursive: true, force: true });
        folders++;
      } else walk(path, depth + 1);
    }
  };
  walk(sitePackages, 0);
  return { folders, bytes };
}

function treeSize(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + treeSize(join(path, name)), 0);
}

/** site-packages of a venv (lib/pythonX.Y/site-packages), when there is one. */
export function sitePackagesOf(venv: string): string | undefined {
  const lib = join(venv, "lib");
  if (!existsSync(lib)) return undefined;
  const python = readdirSync(lib).find((d) => d.startsWith("python"));
  const dir = python && join(lib, python, "site-packages");
  return dir && existsSync(dir) ? dir : undefined;
}

export async function finishVenv(ctx: BuildContext, venv: string): Promise<void> {
  const env = { ...ctx.env, ...ctx.platformEnv };
  const site = sitePackagesOf(venv);
  if (site && env[KEEP_TESTS_ENV] !== "true") {
    const { folders, bytes } = pruneTestFolders(site);
    if (folders)
      ctx.logger.step(
        `Removed ${folders} test folder(s) the packages ship (${(bytes / 2 ** 20).toFixed(1)} MiB); ${KEEP_TESTS_ENV}=true keeps them`,
      );
  }
  await compileBytecode(ctx, join(venv, "bin", "python"), join(venv, "lib"), {
    title: "Compiling bytecode (hash-based .pyc, valid in the image)",
  });
}
