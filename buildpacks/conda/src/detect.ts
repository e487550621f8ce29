import { type DetectContext, type DetectResult, fail, pass } from "#libcnb";

/** The environment file, in the order conda itself looks for them. */
export const ENVIRONMENT_FILES = ["environment.yml", "environment.yaml"] as const;

/**
 * Explicit locks: `conda-<subdir>.lock`, the name `conda-lock --kind explicit` gives the file it writes
 * per platform (e.g. conda-linux-64.lock), holding `@EXPLICIT` and one package URL + hash per line.
 */
export const LOCK_PATTERN = /^conda-([a-z0-9]+-[a-z0-9_]+)\.lock$/;

export function lockFiles(app: DetectContext["app"]): string[] {
  return app.list().filter((name) => LOCK_PATTERN.test(name) && app.isFile(name));
}

export function condaFiles(app: DetectContext["app"]): string[] {
  return [...ENVIRONMENT_FILES.filter((f) => app.isFile(f)), ...lockFiles(app)];
}

/**
 * Passes on environment.yml / environment.yaml or an explicit lock. The conda group of the builders has
 * no ml-buildpacks/python: the environment brings its own interpreter (the conda `python` package), so
 * this buildpack neither provides nor requires a plan entry.
 */
export function detect(ctx: DetectContext): DetectResult {
  const found = condaFiles(ctx.app);
  if (found.length === 0) {
    return fail(`looked for ${ENVIRONMENT_FILES.join(", ")} or conda-<platform>.lock in the app: none found`);
  }
  return pass();
}
