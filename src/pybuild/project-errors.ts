// Messages about the project files the lock-file installers read; `tool` names the installer.
import { BuildpackError } from "../libcnb/index.js";
import { describeRequirements, type PythonRequirement } from "./python-constraint.js";

/** For the installers that install a project from pyproject.toml and a lock (uv, Poetry). */
export function lockWithoutProject(tool: string, lock: string, manifest: string): BuildpackError {
  return new BuildpackError({
    title: `${lock} was found, but no ${manifest}`,
    body:
      `${tool} installs a project from ${manifest} and its lock ${lock}; this app has only the lock.\n\n` +
      `Commit ${manifest} next to ${lock} (both at the top of the app), or delete ${lock}\n` +
      `if the app doesn't use ${tool}.`,
    file: lock,
  });
}

/** `fix` says what the user changes: the file itself, or regenerating it with the tool. */
export function unparsableToml(
  file: string,
  line: number | undefined,
  detail: string,
  fix: string,
): BuildpackError {
  return new BuildpackError({
    title: `${file} is not valid TOML`,
    body: `${detail}\n\n${fix}`,
    file,
    ...(line !== undefined ? { line } : {}),
  });
}

/** `what` says what the names are, e.g. "dependency group"; the fix is the build env variable. */
export function invalidNames(
  what: string,
  variable: string,
  value: string,
  bad: string[],
  expected: string,
  unset: string,
): BuildpackError {
  return new BuildpackError({
    title: `${variable} has an invalid ${what} name: ${bad.join(", ")}`,
    body:
      `${variable}=${JSON.stringify(value)} should list ${expected}.\n\n` +
      `Fix ${variable} in the build environment, or unset it to ${unset}.`,
  });
}

export interface OutsideConstraint {
  title: string;
  /** The build's Python version and interpreter path. */
  version: string;
  interpreter: string;
  unmet: readonly PythonRequirement[];
  /** Why the build stops, ending in "so the build stops before installing anything." */
  why: string;
  /** What to widen in pyproject.toml, e.g. "requires-python". */
  widen: string;
  lock: string;
  /** The command that locks again, e.g. "uv lock". */
  relock: string;
  file: string;
}

/** The build's Python is outside the project's range (uv, Poetry: pyproject.toml and a lock). */
export function pythonOutsideProject(o: OutsideConstraint): BuildpackError {
  const first = o.unmet[0];
  const minor = o.version.split(".").slice(0, 2).join(".");
  return new BuildpackError({
    title: o.title,
    body:
      `This build's Python is ${o.version} (${o.interpreter}, chosen by ml-buildpacks/python), but the project\n` +
      `accepts only these Pythons:\n\n${describeRequirements(o.unmet)}\n\n` +
      `${o.why} Either:\n` +
      "  - ask for a Python inside that range: write it in .python-version (e.g. `echo 3.14 > .python-version`),\n" +
      "    which ml-buildpacks/python installs; or\n" +
      `  - if the app runs on Python ${minor}, widen ${o.widen} in pyproject.toml, run \`${o.relock}\`,\n` +
      `    and commit pyproject.toml and ${o.lock}.`,
    file: o.file,
    ...(first?.line !== undefined ? { line: first.line } : {}),
  });
}
