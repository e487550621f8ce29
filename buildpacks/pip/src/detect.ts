import { type DetectContext, type DetectResult, fail, pass } from "#libcnb";

export const REQUIREMENTS = "requirements.txt";
/** Files that make the app a package pip can build and install (`pip install .`). */
export const PROJECT_FILES = ["pyproject.toml", "setup.py", "setup.cfg"] as const;
/**
 * Locks of the other installers. Their groups come before pip's in the builders' order, so such an
 * app never gets here; detect still refuses them so pip never installs a project past its lock.
 */
export const OTHER_LOCKS = [
  "poetry.lock",
  "uv.lock",
  "Pipfile.lock",
  "environment.yml",
  "environment.yaml",
] as const;

export function detect(ctx: DetectContext): DetectResult {
  // Python itself comes from a provider of "python" earlier in the group (ml-buildpacks/python).
  if (ctx.app.isFile(REQUIREMENTS)) return pass({ requires: [{ name: "python" }] });
  const project = PROJECT_FILES.find((f) => ctx.app.isFile(f));
  if (!project) {
    return fail(`looked for ${REQUIREMENTS}, ${PROJECT_FILES.join(", ")} in the app: none found`);
  }
  const lock = OTHER_LOCKS.find((f) => ctx.app.isFile(f)) ?? ctx.app.list().find(isCondaLock);
  if (lock) return fail(`${project} comes with ${lock}: another buildpack installs it`);
  return pass({ requires: [{ name: "python" }] });
}

function isCondaLock(name: string): boolean {
  return /^conda-.+-.+\.lock$/.test(name);
}
