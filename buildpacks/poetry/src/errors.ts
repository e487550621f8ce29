// Every message the poetry buildpack shows a user: what happened and what to do.
import { BuildpackError } from "#libcnb";
import { hashMismatchHint, installFailed, tlsHint } from "#pybuild/install-errors";
import { invalidNames, pythonOutsideProject } from "#pybuild/project-errors";
import type { PythonRequirement } from "#pybuild/python-constraint";

export function notAPoetryLock(file: string): BuildpackError {
  return new BuildpackError({
    title: `${file} is not a Poetry lockfile`,
    body:
      `${file} parses as TOML but has no [metadata] lock-version (Poetry writes it at the end).\n\n` +
      "Regenerate it with `poetry lock` and commit the result.",
    file,
  });
}

export function invalidGroups(variable: string, value: string, bad: string[]): BuildpackError {
  return invalidNames(
    "group",
    variable,
    value,
    bad,
    'Poetry dependency groups, separated by commas or\nspaces, e.g. "main,ml" (main is the project\'s own dependencies)',
    "install the main group only",
  );
}

export function lockOutOfDate(output: string): BuildpackError {
  return new BuildpackError({
    title: "poetry.lock is out of date with pyproject.toml",
    body:
      `\`poetry check --lock\` says:\n\n${output.trim()}\n\n` +
      "The dependencies in pyproject.toml changed since poetry.lock was generated, so the lock no\n" +
      "longer says what to install. Run `poetry lock`, commit poetry.lock, and build again.",
    file: "poetry.lock",
  });
}

export function pythonOutsideConstraint(
  version: string,
  interpreter: string,
  unmet: readonly PythonRequirement[],
): BuildpackError {
  const first = unmet[0];
  return pythonOutsideProject({
    title: `Python ${version} does not satisfy ${first?.file ?? "pyproject.toml"}'s ${first?.setting ?? "python"} = ${JSON.stringify(first?.text ?? "")}`,
    version,
    interpreter,
    unmet,
    why:
      "Installing anyway would make pip skip every locked package whose marker needs another Python, and\n" +
      "the image would fail at import, so the build stops before installing anything.",
    widen: "that constraint",
    lock: "poetry.lock",
    relock: "poetry lock",
    file: first?.file ?? "pyproject.toml",
  });
}

export function poetryCheckFailed(code: number, output: string): BuildpackError {
  return new BuildpackError({
    title: "Poetry found problems in pyproject.toml or poetry.lock",
    body:
      `\`poetry check --lock\` exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\n` +
      "Fix what it lists (run `poetry check --lock` locally), commit, and build again.",
    file: "pyproject.toml",
  });
}

export function exportFailed(groups: string[], code: number, output: string): BuildpackError {
  const unknownGroup = /Group\(s\) not found/.test(output);
  return new BuildpackError({
    title: unknownGroup
      ? `BP_POETRY_GROUPS names a group pyproject.toml doesn't define: ${groups.join(", ")}`
      : "Poetry could not export poetry.lock",
    body:
      `\`poetry export --only ${groups.join(",")}\` exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\n` +
      (unknownGroup
        ? "Set BP_POETRY_GROUPS to groups from [tool.poetry.group.<name>] (main is the project's own\n" +
          "dependencies), or unset it to install the main group only."
        : "Run `poetry export --only main` locally to see the problem; `poetry lock` may fix it."),
    file: "poetry.lock",
  });
}

/** Extra advice for failures recognisable in pip's output. */
export function pipFailureHints(output: string): string[] {
  const hints: string[] = [];
  if (/Can't verify hashes|don't have a way to hash|not hashable/i.test(output)) {
    hints.push(
      "poetry.lock has a dependency without file hashes (a git, path or URL dependency). This buildpack\n" +
        "installs with --require-hashes: publish the package to an index (or a wheel with its hash) instead.",
    );
  }
  if (/THESE PACKAGES DO NOT MATCH THE HASHES/.test(output)) {
    hints.push(hashMismatchHint("poetry.lock", "poetry lock --regenerate"));
  }
  if (/CERTIFICATE_VERIFY_FAILED/.test(output)) hints.push(tlsHint("pip"));
  return hints;
}

export function pipInstallFailed(
  code: number,
  python: string,
  platform: string,
  hints: string[],
): BuildpackError {
  return installFailed({
    title: "pip could not install the packages in poetry.lock",
    command: "pip",
    code,
    python,
    platform,
    hints,
    relock: "poetry lock",
    otherCauses:
      "  - a private index that cannot be reached: set PIP_INDEX_URL / PIP_EXTRA_INDEX_URL in the\n" +
      "    build environment.\n",
    reproduce: "poetry export --only main -o req.txt && pip install --require-hashes --no-deps -r req.txt",
    file: "poetry.lock",
  });
}
