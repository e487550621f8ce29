import { type DetectContext, type DetectResult, fail, pass } from "#libcnb";

/** Files that mark a Python project, in the order the failure message lists them. */
export const PROJECT_FILES = [
  "requirements.txt",
  "pyproject.toml",
  "Pipfile",
  "environment.yml",
  ".python-version",
  "setup.py",
] as const;

/** Which Python markers the app has: project files, then top-level *.py files. */
export function pythonMarkers(app: DetectContext["app"]): string[] {
  const files: string[] = PROJECT_FILES.filter((f) => app.isFile(f));
  const scripts = app.list().filter((name) => name.endsWith(".py") && app.isFile(name));
  return [...files, ...scripts];
}

export function detect(ctx: DetectContext): DetectResult {
  if (pythonMarkers(ctx.app).length === 0) {
    return fail(`looked for ${PROJECT_FILES.join(", ")} or a *.py file in the app: none found`);
  }
  // Provide and require "python" so this buildpack can stand alone; pip & co. require it too.
  return pass({ provides: [{ name: "python" }], requires: [{ name: "python" }] });
}
