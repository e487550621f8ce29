// Every message the uv buildpack shows a user: what happened and what to do.
import { BuildpackError } from "#libcnb";
import { installFailed, tlsHint } from "#pybuild/install-errors";
import { invalidNames, pythonOutsideProject } from "#pybuild/project-errors";
import type { PythonRequirement } from "#pybuild/python-constraint";

export function notAUvLock(file: string): BuildpackError {
  return new BuildpackError({
    title: `${file} is not a uv lockfile`,
    body:
      `${file} parses as TOML but has no numeric "version" (the lock format uv writes on line 1).\n\n` +
      `Regenerate it with \`uv lock\` and commit the result.`,
    file,
  });
}

export function invalidGroups(variable: string, value: string, bad: string[]): BuildpackError {
  return invalidNames(
    "dependency group",
    variable,
    value,
    bad,
    'dependency groups from pyproject.toml\n[dependency-groups], separated by commas or spaces, e.g. "dev,ml"',
    "install the project's dependencies only",
  );
}

export function unsupportedArch(arch: string, supported: string[]): BuildpackError {
  return new BuildpackError({
    title: `This buildpack has no uv for ${arch}`,
    body:
      `The uv buildpack ships pinned uv wheels for ${supported.join(" and ")} only.\n\n` +
      "Build on one of those architectures.",
  });
}

export function uvDownloadFailed(url: string, code: number, output: string): BuildpackError {
  return new BuildpackError({
    title: "Could not download uv",
    body:
      `Downloading ${url} exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\n` +
      "The build needs to reach files.pythonhosted.org. If a proxy re-signs TLS traffic, make its\n" +
      "CA bundle available to the build (ml-buildpacks build --ca-certs FILE).",
  });
}

export function uvChecksumMismatch(url: string, expected: string, actual: string): BuildpackError {
  return new BuildpackError({
    title: "The downloaded uv wheel does not match its pinned sha256",
    body:
      `${url}\n  expected sha256 ${expected}\n  got      sha256 ${actual}\n\n` +
      "The file was changed in transit or by a mirror; the build stops rather than run it.\n" +
      "Retry the build; if it keeps failing, check the proxy or mirror between the build and PyPI.",
  });
}

export function uvBroken(command: string, code: number, output: string): BuildpackError {
  return new BuildpackError({
    title: "The uv binary could not run",
    body:
      `\`${command}\` exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\n` +
      "This is a problem with the buildpack or the stack, not with your app; please report it.",
  });
}

/**
 * uv's own words when `--locked` found the lock out of date ("The lockfile at `uv.lock` needs to be
 * updated, but `--locked` was provided. ..."), from its "error:" line on; undefined otherwise.
 */
export function staleLockMessage(output: string): string | undefined {
  if (!/needs to be updated, but `--locked` was provided/.test(output)) return undefined;
  const lines = output.split(/\r?\n/);
  let from = lines.findIndex((l) => /needs to be updated, but `--locked`/.test(l));
  // The message may wrap: start at the "error:" line that introduces it.
  for (let i = from; i >= 0; i--)
    if (/^\s*error:/.test(lines[i] ?? "")) {
      from = i;
      break;
    }
  return lines.slice(from).join("\n").trim();
}

export function lockOutOfDate(uvMessage: string): BuildpackError {
  return new BuildpackError({
    title: "uv.lock is out of date with pyproject.toml",
    body:
      `\`uv sync --locked\` says:\n\n${uvMessage}\n\n` +
      "pyproject.toml changed since uv.lock was generated, so the lock no longer says what to install;\n" +
      "the build stops rather than ship an image without what pyproject.toml declares.\n" +
      "Run `uv lock`, commit uv.lock, and build again.",
    file: "uv.lock",
  });
}

export function pythonOutsideConstraint(
  version: string,
  interpreter: string,
  unmet: readonly PythonRequirement[],
): BuildpackError {
  const first = unmet[0];
  return pythonOutsideProject({
    title: `Python ${version} is outside ${first?.file ?? "uv.lock"}'s requires-python = ${JSON.stringify(first?.text ?? "")}`,
    version,
    interpreter,
    unmet,
    why: "uv.lock was resolved for that range only, so the build stops before installing anything.",
    widen: "requires-python",
    lock: "uv.lock",
    relock: "uv lock",
    file: first?.file ?? "uv.lock",
  });
}

/** Extra advice for failures recognisable in uv's output. */
export function uvFailureHints(output: string): string[] {
  const hints: string[] = [];
  if (/is not defined in the project's `dependency-groups` table/.test(output)) {
    hints.push(
      "BP_UV_GROUPS names a group that pyproject.toml does not define: fix BP_UV_GROUPS or add\n" +
        "the group to [dependency-groups] (then run `uv lock`).",
    );
  }
  if (/incompatible with the project's Python requirement|requires-python/.test(output)) {
    hints.push(
      "The project's requires-python excludes this build's Python: write a Python inside it in\n" +
        ".python-version, or widen requires-python in pyproject.toml (then run `uv lock`).",
    );
  }
  if (/certificate|CERTIFICATE_VERIFY_FAILED|UnknownIssuer/i.test(output)) hints.push(tlsHint("uv"));
  return hints;
}

export function uvSyncFailed(
  code: number,
  python: string,
  platform: string,
  hints: string[],
): BuildpackError {
  return installFailed({
    title: "uv could not install uv.lock",
    command: "uv sync",
    code,
    python,
    platform,
    hints,
    relock: "uv lock",
    otherCauses:
      "  - a private index that cannot be reached: set UV_INDEX_URL / UV_EXTRA_INDEX_URL (or\n" +
      "    [[tool.uv.index]] in pyproject.toml) and its credentials in the build environment.\n",
    reproduce: "uv sync --locked --no-default-groups --no-install-project",
    file: "uv.lock",
  });
}
