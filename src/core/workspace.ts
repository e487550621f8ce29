// What goes into the lifecycle's /workspace: the app directory without its top-level .git, without
// a layer cache kept inside the project (CI caches often live there, e.g. path ".") and without what
// a build writes there (the SBOM output dir): a build's outputs are never the next one's inputs. The
// fast path's source digest, the docker executor's copy and the local executor's copy all derive
// from this one rule, so the digest always covers exactly what the buildpacks see.
import { isAbsolute, join, relative, resolve } from "node:path";

export interface WorkspaceSource {
  /** Absolute. */
  appDir: string;
  /** Absolute paths left out of the copy (and the digest). */
  excluded: string[];
}

export function workspaceSource(
  appDir: string,
  cacheDir: string | undefined,
  outputs: (string | undefined)[] = [],
): WorkspaceSource {
  const app = resolve(appDir);
  const left = [cacheDir, ...outputs].filter((p): p is string => !!p).map((p) => resolve(p));
  return { appDir: app, excluded: [join(app, ".git"), ...left] };
}

/** The excluded paths that lie inside the app, as "./<relative>" (tar --exclude's form). */
export function excludedInside(ws: WorkspaceSource): string[] {
  return ws.excluded
    .map((p) => relative(ws.appDir, p))
    .filter((rel) => rel !== "" && !rel.startsWith("..") && !isAbsolute(rel))
    .map((rel) => `./${rel}`);
}

/** Whether an absolute path is left out of the workspace. */
export function isExcluded(ws: WorkspaceSource, path: string): boolean {
  return ws.excluded.includes(resolve(path));
}
