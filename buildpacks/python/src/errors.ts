// Every message the python buildpack shows a user: what happened and what to do.
import { BuildpackError } from "../../../src/libcnb/index.js";

export function pythonNotFound(python: string, detail: string): BuildpackError {
  return new BuildpackError({
    title: `Python was not found at ${python}`,
    body:
      `This buildpack uses the stack's CPython at ${python}, but it could not be run (${detail}).\n\n` +
      "The builder's build image is missing Debian's python3 package. Use an ml-buildpacks builder,\n" +
      "or install python3 in the build and run images of your stack.",
  });
}

export function pythonBroken(python: string, code: number, output: string): BuildpackError {
  return new BuildpackError({
    title: `${python} did not report its version`,
    body:
      `Running ${python} to find its version exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\n` +
      "The stack's Python installation looks broken; rebuild the stack images.",
  });
}

export function emptyVersionFile(file: string): BuildpackError {
  return new BuildpackError({
    title: `${file} contains no Python version`,
    body:
      `${file} exists but has no version in it (only blank lines or comments).\n\n` +
      `Write the Python version your app needs, e.g. "3.13", or delete ${file} to use the stack's Python.`,
    file,
  });
}

export function multipleVersions(file: string, entries: { value: string; line: number }[]): BuildpackError {
  const list = entries.map((e) => `  line ${e.line}: ${e.value}`).join("\n");
  return new BuildpackError({
    title: `${file} lists more than one Python version`,
    body:
      `${file} may name one version only; it has ${entries.length}:\n${list}\n\n` +
      `Keep the single version your app runs on, e.g. "3.13".`,
    file,
    line: entries[1]?.line,
  });
}

export function invalidVersion(file: string, line: number, value: string): BuildpackError {
  return new BuildpackError({
    title: `${file} has an invalid Python version: ${JSON.stringify(value)}`,
    body:
      `Expected a CPython version like "3.13" or "3.13.5" (or "system"); got ${JSON.stringify(value)}.\n\n` +
      `Fix line ${line} of ${file}, or delete the file to use the stack's Python.`,
    file,
    line,
  });
}

export function versionNotAvailable(
  file: string,
  line: number,
  requested: string,
  available: string,
  availableMinor: string,
): BuildpackError {
  return new BuildpackError({
    title: `Python ${requested} was requested, but this builder provides Python ${available}`,
    body:
      `${file} (line ${line}) asks for Python ${requested}. This builder's stack has exactly one\n` +
      `Python, the distribution's CPython ${available}, and cannot install another.\n\n` +
      "What to do:\n" +
      `  - if your app runs on Python ${availableMinor}: change ${file} to "${availableMinor}" (or remove the file);\n` +
      `  - otherwise use a builder whose stack has Python ${requested}.`,
    file,
    line,
  });
}

export function multiplePackageManagers(found: readonly { file: string; manager: string }[]): BuildpackError {
  const list = found.map((f) => `  - ${f.file} (${f.manager})`).join("\n");
  return new BuildpackError({
    title: `This app has files for ${found.length} package managers: ${found.map((f) => f.file).join(", ")}`,
    body:
      `ml-buildpacks installs dependencies with exactly one package manager, and this app has files for\n` +
      `${found.length} of them:\n${list}\n\n` +
      "Keep the one your project really uses and delete (or stop committing) the others. For example,\n" +
      "a requirements.txt exported from poetry.lock or uv.lock is not needed: the Poetry and uv\n" +
      "buildpacks install from the lockfile directly.",
    file: found[1]?.file ?? found[0]?.file,
  });
}
