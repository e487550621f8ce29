// Every message the pip buildpack shows a user: what happened and what to do.
import { BuildpackError } from "#libcnb";

/** Extra advice for failures recognisable in pip's output. */
export function pipFailureHints(output: string): string[] {
  const hints: string[] = [];
  if (/CERTIFICATE_VERIFY_FAILED/.test(output)) {
    hints.push(
      "pip could not verify the package index's TLS certificate. If a proxy or private index uses\n" +
        "its own certificate authority, give pip the CA bundle: set PIP_CERT=/path/to/ca.pem in the\n" +
        "build environment, with the file available in the build (e.g. in the app dir).",
    );
  }
  return hints;
}

/** Hints for a `pip install .` whose build backend could not find the app's package. */
export function projectBuildHints(output: string, file: string): string[] {
  if (!/Multiple top-level packages discovered|Unable to determine which files to ship/.test(output))
    return [];
  return [
    `The build backend could not tell which folders of the app make its package. Name them in ${file}\n` +
      '(setuptools: [tool.setuptools] packages = ["mypkg"]; hatchling: [tool.hatch.build.targets.wheel]\n' +
      'packages = ["src/mypkg"]), or, for an app that is not a package, list its dependencies in a\n' +
      "requirements.txt instead (pip then installs only those).",
  ];
}

export function pipInstallFailed(
  file: string,
  code: number,
  python: string,
  platform: string,
  hints: string[] = [],
  installArgs = `-r ${file}`,
): BuildpackError {
  return new BuildpackError({
    title: `pip could not install ${file}`,
    body:
      `pip exited with status ${code}. Its output above says which requirement failed and why.\n\n` +
      hints.map((h) => `${h}\n\n`).join("") +
      "Common causes and what to do:\n" +
      `  - a package name or version that does not exist: check the spelling and pins in ${file};\n` +
      `  - no wheel for Python ${python} on ${platform}, and building from source failed:\n` +
      "    pin a version that publishes wheels for this Python and architecture;\n" +
      "  - conflicting pins: pip prints the conflicting requirements; relax one of them;\n" +
      "  - a private or mirror index that cannot be reached: set PIP_INDEX_URL / PIP_EXTRA_INDEX_URL\n" +
      "    in the build environment (e.g. project.toml [[io.buildpacks.build.env]]).\n\n" +
      `To reproduce locally: python${python.split(".").slice(0, 2).join(".")} -m venv /tmp/venv && ` +
      `/tmp/venv/bin/pip install ${installArgs}`,
    file,
  });
}

/** What pip's hash-checking mode refused, read from its output. */
export interface HashProblems {
  /** Downloads whose sha256 is not one the file lists ("tabulate==0.9.0"). */
  mismatched: string[];
  /** Requirements (usually dependencies) with no --hash, each line as pip suggests it. */
  missing: string[];
  /** Requirements not pinned with == (hash-checking mode needs exact versions). */
  unpinned: string[];
}

/** pip's three hash-checking errors (pip 23-25 wording); undefined when the output has none. */
export function parseHashProblems(output: string): HashProblems | undefined {
  const problems: HashProblems = { mismatched: [], missing: [], unpinned: [] };
  let section: keyof HashProblems | undefined;
  for (const line of output.split(/\r?\n/)) {
    if (/DO NOT MATCH THE HASHES/.test(line)) section = "mismatched";
    else if (/Hashes are required in --require-hashes mode/.test(line)) section = "missing";
    else if (/all requirements must have their versions pinned with ==/.test(line)) section = "unpinned";
    else if (/^\S/.test(line)) section = undefined;
    else if (section) {
      // Entries are indented 4 spaces; the Expected/Got lines under a mismatch, 8 or more.
      const entry = /^ {4}(\S.*?)$/.exec(line)?.[1];
      if (!entry) continue;
      const name = section === "missing" ? entry : (entry.split(" from ")[0] ?? entry).replace(/:$/, "");
      problems[section].push(name);
    }
  }
  const any = problems.mismatched.length + problems.missing.length + problems.unpinned.length;
  return any ? problems : undefined;
}

export function hashCheckFailed(file: string, problems: HashProblems): BuildpackError {
  const all = [
    ...problems.mismatched,
    ...problems.unpinned,
    ...problems.missing.map((m) => m.split(" ")[0] ?? m),
  ];
  // One mention per package: an unpinned requirement is also listed as missing its hash.
  const base = (n: string) => n.split("==")[0];
  const names = all.filter((n, k) => all.findIndex((m) => base(m) === base(n)) === k);
  const parts: string[] = [];
  if (problems.mismatched.length) {
    parts.push(
      `The downloaded files do not have a sha256 that ${file} lists for them:\n` +
        problems.mismatched.map((p) => `  - ${p}`).join("\n") +
        "\n\nIf you changed these versions on purpose, update their --hash values in " +
        `${file} (pip's output above shows the sha256 it got; \`pip hash FILE\` computes one).\n` +
        "If not, someone may have tampered with the package or\n" +
        "the index you install from: do not build with it until you know why.",
    );
  }
  if (problems.unpinned.length) {
    parts.push(
      `Once any requirement in ${file} has a --hash, pip checks every package, and each must be\n` +
        "pinned with ==. These are not:\n" +
        problems.unpinned.map((p) => `  - ${p}`).join("\n") +
        `\n\nPin them (name==version) with their --hash in ${file}.`,
    );
  }
  if (problems.missing.length) {
    parts.push(
      `Once any requirement in ${file} has a --hash, every package pip installs needs one, the\n` +
        "dependencies of your requirements too. pip found these without, with the hashes their\n" +
        `downloads had; add lines like these to ${file} (check them first):\n` +
        problems.missing.map((p) => `  ${p}`).join("\n"),
    );
  }
  return new BuildpackError({
    title: `pip's hash check failed for ${file}: ${names.join(", ")}`,
    body:
      `${parts.join("\n\n")}\n\n` +
      "pip-compile --generate-hashes (pip-tools) or `uv pip compile --generate-hashes` writes a\n" +
      `${file} with every package pinned and hashed.`,
    file,
  });
}

export function pyprojectSyntax(file: string, message: string, line?: number): BuildpackError {
  return new BuildpackError({
    title: `${file} is not valid TOML`,
    body: `${message}\n\nFix the syntax of ${file}; see https://toml.io for the format.`,
    file,
    line,
  });
}

const PACKAGE_EXAMPLE =
  "  [build-system]\n" +
  '  requires = ["setuptools>=61"]\n' +
  '  build-backend = "setuptools.build_meta"\n\n' +
  "  [project]\n" +
  '  name = "my-app"\n' +
  '  version = "0.1.0"\n' +
  '  dependencies = ["requests>=2.32"]';

export function notAPackage(file: string, poetry: boolean): BuildpackError {
  return new BuildpackError({
    title: `${file} has neither [build-system] nor [project]: pip cannot install the app from it`,
    body: poetry
      ? `${file} has [tool.poetry] but no poetry.lock and no [build-system]. Either commit poetry.lock\n` +
        "(run `poetry lock`) so the Poetry buildpack installs the locked versions, or add to " +
        `${file}:\n\n` +
        "  [build-system]\n" +
        '  requires = ["poetry-core>=2"]\n' +
        '  build-backend = "poetry.core.masonry.api"\n\n' +
        "and pip installs it through poetry-core."
      : `With no requirements.txt and no lockfile, the pip buildpack installs the app as a package\n` +
        `(pip install .), which needs a PEP 517 [build-system] or a PEP 621 [project] table in ${file}.\n` +
        `Add them, for example:\n\n${PACKAGE_EXAMPLE}\n\n` +
        "or list the app's dependencies in a requirements.txt.",
    file,
  });
}

export function buildSystemWithoutRequires(file: string, line?: number): BuildpackError {
  return new BuildpackError({
    title: `${file}: [build-system] has no requires`,
    body:
      "PEP 518 makes `requires` mandatory in [build-system]: the packages pip installs to build the app,\n" +
      'e.g. requires = ["hatchling"] with build-backend = "hatchling.build". Add it to ' +
      `${file}.`,
    file,
    line,
  });
}

export function setupCfgOnly(file: string): BuildpackError {
  return new BuildpackError({
    title: `${file} alone does not make an installable package`,
    body:
      `pip builds a package from pyproject.toml or setup.py; this app has only ${file}. Add a\n` +
      "pyproject.toml that names setuptools as the build backend (it reads setup.cfg):\n\n" +
      "  [build-system]\n" +
      '  requires = ["setuptools>=61"]\n' +
      '  build-backend = "setuptools.build_meta"\n\n' +
      "or list the app's dependencies in a requirements.txt.",
    file,
  });
}
