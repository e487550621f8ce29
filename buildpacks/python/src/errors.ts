// Every message the python buildpack shows a user: what happened and what to do.
import { BuildpackError } from "#libcnb";

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

export function invalidToml(file: string, line: number | undefined, message: string): BuildpackError {
  return new BuildpackError({
    title: `${file} is not valid TOML`,
    body:
      `The python buildpack reads ${file} to find the Python version your app needs, but it could not\n` +
      `parse it: ${message}\n\nFix the syntax${line ? ` at line ${line}` : ""} of ${file}.`,
    file,
    line,
  });
}

export function invalidRequiresPython(file: string, line: number | undefined, value: string): BuildpackError {
  return new BuildpackError({
    title: `${file} has an invalid requires-python: ${value}`,
    body:
      "[project] requires-python must be a PEP 440 version specifier of release versions, e.g.\n" +
      '">=3.11", ">=3.11,<3.13", "~=3.12.0" or "==3.12.*" (an operator is required: "3.12" alone is\n' +
      "not a specifier).\n\n" +
      `Fix requires-python${line ? ` at line ${line}` : ""} of ${file}.`,
    file,
    line,
  });
}

export function invalidPipfileVersion(key: string, line: number | undefined, value: string): BuildpackError {
  return new BuildpackError({
    title: `Pipfile has an invalid [requires] ${key}: ${value}`,
    body:
      `Expected ${key === "python_full_version" ? 'a full version like "3.12.4"' : 'a version like "3.12"'}.\n\n` +
      `Fix it${line ? ` at line ${line}` : ""} of Pipfile.`,
    file: "Pipfile",
    line,
  });
}

export function invalidCondaPython(file: string, line: number, item: string): BuildpackError {
  return new BuildpackError({
    title: `${file} has a python dependency this buildpack cannot read: ${item}`,
    body:
      'Expected a conda match spec for python such as "python=3.12", "python=3.12.4",\n' +
      '"python>=3.11,<3.13" or "python 3.12.*" ("|" alternatives are not supported).\n\n' +
      `Fix line ${line} of ${file}.`,
    file,
    line,
  });
}

interface RequestInfo {
  file: string;
  line: number | undefined;
  text: string;
}

function changeHint(req: RequestInfo, example: string): string {
  switch (req.file) {
    case ".python-version":
      return `write a supported version in .python-version, e.g. "${example}"`;
    case "runtime.txt":
      return `write a supported version in .python-version, e.g. "${example}", and delete runtime.txt`;
    case "pyproject.toml":
      return `allow a supported version in pyproject.toml${req.line ? ` line ${req.line}` : ""}, e.g. ">=${example}"`;
    case "Pipfile":
      return `set [requires] python_version = "${example}" in Pipfile`;
    default:
      return `ask for a supported version in ${req.file}, e.g. "python=${example}"`;
  }
}

export function endOfLife(
  req: RequestInfo,
  stackVersion: string,
  available: string,
  platform: string,
  example: string,
): BuildpackError {
  return new BuildpackError({
    title: `Python ${req.text} is end-of-life and not supported`,
    body:
      `${req.file}${req.line ? ` (line ${req.line})` : ""} asks for Python ${req.text}. CPython 3.9 and older no longer\n` +
      "get security fixes; this buildpack installs CPython 3.10 to 3.14.\n\n" +
      `Supported versions for ${platform}: ${available}.\n` +
      `The stack's own Python is ${stackVersion}.\n\n` +
      `What to do: upgrade your app and ${changeHint(req, example)}.`,
    file: req.file,
    line: req.line,
  });
}

export function unknownVersion(
  req: RequestInfo,
  stackVersion: string,
  available: string,
  platform: string,
  example: string,
  manifest: { source: string; builtin: boolean },
): BuildpackError {
  return new BuildpackError({
    title: `No supported Python matches ${req.text}`,
    body:
      `${req.file}${req.line ? ` (line ${req.line})` : ""} asks for Python ${req.text}, but no CPython this buildpack\n` +
      `can install matches it (the stack's own Python is ${stackVersion}).\n\n` +
      `Supported versions for ${platform}: ${available || "(none)"}.\n` +
      (manifest.builtin
        ? ""
        : `These come from the manifest ${manifest.source} (BP_PYTHON_MANIFEST), not the buildpack's own.\n`) +
      "\nWhat to do:\n" +
      `  - ${changeHint(req, example)} (a minor version like "${example}" gets its newest patch release);\n` +
      "  - a newer patch release or Python 3.15+ needs a newer version of this buildpack.",
    file: req.file,
    line: req.line,
  });
}

export function invalidManifest(source: string, detail: string, line?: number): BuildpackError {
  return new BuildpackError({
    title: `The Python manifest ${source} is invalid`,
    body:
      `${detail}${line ? ` (line ${line})` : ""}.\n\n` +
      'Each CPython build is a table [python."X.Y.Z"] with release = "<tag>" and, per architecture,\n' +
      '[python."X.Y.Z".<amd64|arm64>] with file = "<name>.tar.gz" and sha256 = "<64 hex digits>".',
  });
}

export function manifestNotAFile(value: string): BuildpackError {
  return new BuildpackError({
    title: "BP_PYTHON_MANIFEST must be a file, not a URL",
    body:
      `BP_PYTHON_MANIFEST is ${JSON.stringify(value)}. The manifest pins the sha256 of every Python this\n` +
      "buildpack may install, so it is never downloaded: a server that supplied both the tarballs and\n" +
      "their sums could substitute any interpreter.\n\n" +
      "Point BP_PYTHON_MANIFEST at a file in the app (relative path) or in the build image, or unset it\n" +
      "to use the buildpack's own manifest. To download from elsewhere, set only BP_PYTHON_MIRROR.",
  });
}

export function manifestMissing(value: string, path: string): BuildpackError {
  return new BuildpackError({
    title: `BP_PYTHON_MANIFEST names a file that does not exist: ${value}`,
    body:
      `Looked for ${path}. A relative path is resolved against the app directory.\n\n` +
      "Add the file to the app, fix the path, or unset BP_PYTHON_MANIFEST to use the buildpack's own manifest.",
  });
}

export function downloadFailed(
  url: string,
  code: number,
  output: string,
  spawnError: string | undefined,
): BuildpackError {
  return new BuildpackError({
    title: "Could not download Python",
    body:
      `${spawnError ? `curl could not be run (${spawnError})` : `curl exited with status ${code}`} fetching\n  ${url}\n\n` +
      `${output.trim() || "(no output)"}\n\n` +
      "What to do:\n" +
      "  - if the build cannot reach GitHub, set BP_PYTHON_MIRROR to a mirror of python-build-standalone's\n" +
      "    releases (laid out as <mirror>/<release>/<file>) in the build environment;\n" +
      "  - behind a TLS-intercepting proxy, give the build the proxy's CA bundle;\n" +
      '  - or use the stack\'s Python: write "system" into .python-version (or remove the pin), if your\n' +
      "    other version settings allow it.",
  });
}

export function checksumMismatch(
  file: string,
  url: string,
  expected: string,
  actual: string,
): BuildpackError {
  return new BuildpackError({
    title: `The downloaded ${file} does not match its pinned sha256`,
    body:
      `Downloaded from ${url}\n` +
      `  expected sha256 ${expected}\n` +
      `  got      sha256 ${actual}\n\n` +
      "The file was not unpacked and nothing was installed. The mirror served a different file than\n" +
      "the one this buildpack pins (a corrupted or partial upload, or a tampered mirror).\n\n" +
      "What to do: check the mirror (BP_PYTHON_MIRROR) serves the exact python-build-standalone\n" +
      "release asset; do not change the pinned sum to make the build pass.",
  });
}

export function unpackFailed(file: string, code: number, output: string): BuildpackError {
  return new BuildpackError({
    title: `Could not unpack ${file}`,
    body:
      `tar exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\n` +
      "The file matched its pinned sha256, so the build image's tar or the disk is the problem\n" +
      "(out of space?). Retry the build; if it persists, rebuild the stack images.",
  });
}

export function unexpectedLayout(file: string): BuildpackError {
  return new BuildpackError({
    title: `${file} does not have the install_only layout`,
    body:
      "Expected python/bin/python3 inside the tarball (python-build-standalone's install_only builds), or\n" +
      "python/install/bin/python3 inside a full .tar.zst archive.\n\n" +
      "The manifest pins a tarball of another kind; pin an install_only build of that version.",
  });
}

export function installedPythonBroken(
  python: string,
  version: string,
  code: number,
  output: string,
): BuildpackError {
  return new BuildpackError({
    title: `The installed Python does not run as Python ${version}`,
    body:
      `${python} exited with status ${code} and reported:\n\n${output.trim() || "(no output)"}\n\n` +
      "The pinned build is for another version or another platform than its manifest entry says.\n" +
      "Fix the manifest entry.",
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

export function invalidRuntimeTxt(file: string, line: number | undefined, value: string): BuildpackError {
  return new BuildpackError({
    title: `${file} has an invalid Python version: ${JSON.stringify(value)}`,
    body:
      `Expected Heroku's format, one line such as "python-3.12.4" or "python-3.12".\n\n` +
      `runtime.txt is deprecated: write the version ("3.12.4") into .python-version and delete ${file}.`,
    file,
    line,
  });
}

export function invalidPoetryPython(file: string, line: number | undefined, value: string): BuildpackError {
  return new BuildpackError({
    title: `${file} has an invalid [tool.poetry.dependencies] python: ${value}`,
    body:
      'Expected a Poetry version constraint of release versions, e.g. "^3.11", "~3.12", ">=3.11,<3.14",\n' +
      '"3.12.*" or "^3.11 || ^3.13".\n\n' +
      `Fix python${line ? ` at line ${line}` : ""} in [tool.poetry.dependencies] of ${file}.`,
    file,
    line,
  });
}

interface Described {
  file: string;
  line: number | undefined;
  setting: string;
  text: string;
  system: boolean;
  /** "pyproject.toml line 5: [project] requires-python = \"3.11.*\"" */
  described: string;
}

function at(c: { file: string; line: number | undefined }): string {
  return c.line ? `${c.file} line ${c.line}` : c.file;
}

/** "change .python-version to 3.12" and the like, in the file's own format. */
function changePin(pin: Described, version: string): string {
  switch (pin.file) {
    case ".python-version":
      return `change ${at(pin)} to ${version}`;
    case "runtime.txt":
      return `change ${at(pin)} to python-${version} (better: write ${version} into .python-version and delete runtime.txt)`;
    case "environment.yml":
      return `change the python dependency at ${at(pin)} to python=${version}`;
    default:
      return `change ${pin.setting} at ${at(pin)} to "${version}"`;
  }
}

export function pinConflict(c: {
  pin: Described;
  /** The version the pin picks (the stack's for "system"). */
  version: string;
  /** The constraints that do not allow it. */
  broken: readonly Described[];
  /** What the pin could say instead so that every other constraint holds. */
  suggestion: string | undefined;
}): BuildpackError {
  const list = c.broken.map((b) => `  - ${b.described}`).join("\n");
  const allow = c.pin.system ? c.version : c.pin.text;
  const widen = c.broken.map((b) => `widen ${b.setting} in ${at(b)} to allow ${allow}`).join(" and ");
  const asks = c.pin.system
    ? `"system" (the stack's Python ${c.version})`
    : `Python ${c.pin.text} (${c.version})`;
  return new BuildpackError({
    title: `Python version requirements disagree: ${at(c.pin)} asks for ${c.pin.text}`,
    body:
      `${c.pin.described} asks for ${asks}, but ${c.broken.length === 1 ? "this requirement does" : "these requirements do"} not allow it:\n` +
      `${list}\n\n` +
      "Nothing was installed: a Python these requirements exclude would make the installers skip or\n" +
      "refuse packages, and the image would fail at run time.\n\n" +
      `What to do: ${c.suggestion ? `${changePin(c.pin, c.suggestion)}, or ` : ""}${widen}.`,
    file: c.pin.file,
    line: c.pin.line,
  });
}

export function rangesDisagree(described: readonly string[]): BuildpackError {
  return new BuildpackError({
    title: "Python version requirements disagree: no version satisfies all of them",
    body:
      `No Python version satisfies every one of these together:\n${described.map((d) => `  - ${d}`).join("\n")}\n\n` +
      "Nothing was installed. What to do: make these settings allow a common version (e.g. widen the\n" +
      "narrower one), then pin it in .python-version.",
  });
}

export function unsafeBuildEnv(
  found: readonly { name: string; value: string; why: string }[],
): BuildpackError {
  const list = found.map((f) => `  - ${f.name}=${f.value}: ${f.why}`).join("\n");
  const names = found.map((f) => f.name).join(", ");
  return new BuildpackError({
    title: `The build environment sets ${names}, which ${found.length === 1 ? "breaks" : "break"} Python builds`,
    body:
      `The build was given:\n${list}\n\n` +
      "These come from the build's own environment: the CLI's --env, the GitHub Action's or the GitLab\n" +
      "component's env input, the Tekton Task's ENV_VARS param, project.toml [[build.env]] (with pack), or a CI\n" +
      "variable forwarded into one of those.\n\n" +
      `What to do: remove ${names} from that build configuration. The buildpacks create and activate the\n` +
      "app's virtual environment themselves; for import paths at run time, set them in the run-time\n" +
      "environment (e.g. docker run -e, your deployment's env) instead of the build's.",
  });
}
