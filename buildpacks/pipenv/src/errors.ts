// Every message the pipenv buildpack shows a user: what happened and what to do.
import { BuildpackError } from "#libcnb";
import { hashMismatchHint, installFailed, tlsHint } from "#pybuild/install-errors";
import { invalidNames } from "#pybuild/project-errors";
import { describeRequirements, type PythonRequirement } from "#pybuild/python-constraint";

export function missingManifest(lock: string, manifest: string): BuildpackError {
  return new BuildpackError({
    title: `${lock} was found, but no ${manifest}`,
    body:
      `Pipenv installs from ${lock} only after checking it against the ${manifest} it was made from;\n` +
      "this app has only the lock.\n\n" +
      `Commit the ${manifest} next to ${lock} (both at the top of the app), or delete ${lock}\n` +
      "if the app doesn't use Pipenv.",
    file: lock,
  });
}

export function unparsableLock(file: string, line: number | undefined, detail: string): BuildpackError {
  return new BuildpackError({
    title: `${file} is not valid JSON`,
    body:
      `${detail}\n\n` +
      "Pipenv writes this file: don't edit it by hand. Regenerate it with `pipenv lock` and commit it.",
    file,
    ...(line !== undefined ? { line } : {}),
  });
}

export function notAPipfileLock(file: string): BuildpackError {
  return new BuildpackError({
    title: `${file} is not a Pipenv lockfile`,
    body:
      `${file} is JSON but has no _meta.hash.sha256 (the Pipfile hash Pipenv records in every lock).\n\n` +
      "Regenerate it with `pipenv lock` and commit the result.",
    file,
  });
}

export function invalidCategories(variable: string, value: string, bad: string[]): BuildpackError {
  return invalidNames(
    "category",
    variable,
    value,
    bad,
    'Pipfile package categories, separated by spaces\nor commas, e.g. "packages dev-packages"',
    "install [packages] only",
  );
}

export function lockOutOfDate(lockedHash: string, output: string): BuildpackError {
  return new BuildpackError({
    title: "Pipfile.lock is out of date with the Pipfile",
    body:
      `\`pipenv verify\` says:\n\n${output.trim() || "(no output)"}\n\n` +
      `The lock was made from a Pipfile whose hash was ${lockedHash.slice(0, 12)}…; the Pipfile changed\n` +
      "since, so the lock no longer says what to install. Like `pipenv install --deploy`, the build\n" +
      "stops rather than install something else. Run `pipenv lock`, commit Pipfile.lock, and build again.",
    file: "Pipfile.lock",
  });
}

export function pythonOutsideConstraint(
  version: string,
  interpreter: string,
  unmet: readonly PythonRequirement[],
): BuildpackError {
  const first = unmet[0];
  return new BuildpackError({
    title: `Python ${version} is not the ${first?.text ?? ""} that ${first?.file ?? "the Pipfile"} requires`,
    body:
      `This build's Python is ${version} (${interpreter}, chosen by ml-buildpacks/python), but:\n\n` +
      `${describeRequirements(unmet)}\n\n` +
      "Pipfile.lock was made for that Python; installing it on another would skip or mismatch packages\n" +
      "whose markers depend on it, so the build stops before installing anything. Either:\n" +
      "  - ask for that Python: write it in .python-version, which ml-buildpacks/python installs; or\n" +
      `  - if the app runs on Python ${version.split(".").slice(0, 2).join(".")}, change [requires] in the Pipfile, run \`pipenv lock\`,\n` +
      "    and commit the Pipfile and Pipfile.lock.",
    file: first?.file ?? "Pipfile",
    ...(first?.line !== undefined ? { line: first.line } : {}),
  });
}

export function verifyFailed(code: number, output: string): BuildpackError {
  return new BuildpackError({
    title: "pipenv could not check Pipfile.lock against the Pipfile",
    body:
      `\`pipenv verify\` exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\n` +
      "Run `pipenv verify` locally to see the problem; `pipenv lock` may fix it.",
    file: "Pipfile.lock",
  });
}

/** Extra advice for failures recognisable in pipenv's (and its pip's) output. */
export function syncFailureHints(output: string): string[] {
  const hints: string[] = [];
  if (/THESE PACKAGES DO NOT MATCH THE HASHES/.test(output)) {
    hints.push(hashMismatchHint("Pipfile.lock", "pipenv lock"));
  }
  if (/CERTIFICATE_VERIFY_FAILED/.test(output)) hints.push(tlsHint("pip"));
  return hints;
}

export function syncFailed(code: number, python: string, platform: string, hints: string[]): BuildpackError {
  return installFailed({
    title: "pipenv could not install Pipfile.lock",
    command: "pipenv sync",
    code,
    python,
    platform,
    hints,
    relock: "pipenv lock",
    otherCauses:
      "  - a category in BP_PIPENV_CATEGORIES that the Pipfile doesn't have;\n" +
      "  - a private index that cannot be reached: check [[source]] in the Pipfile and its credentials.\n",
    reproduce: "pipenv verify && pipenv sync",
    file: "Pipfile.lock",
  });
}
