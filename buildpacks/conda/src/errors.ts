// Every message the conda buildpack shows a user: what happened and what to do.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: messages show users the ${VAR} they write in channel URLs
import { BuildpackError } from "#libcnb";

const FORMAT =
  "An environment.yml looks like this:\n\n" +
  "  name: app\n" +
  "  channels:\n" +
  "    - conda-forge\n" +
  "  dependencies:\n" +
  "    - python=3.11\n" +
  "    - numpy>=2";

const PRIVATE_CHANNELS =
  "A private channel takes its credentials from a build secret, named in the URL as ${VAR}:\n\n" +
  "  channels:\n" +
  "    - https://build:${CONDA_TOKEN}@conda.example.com/private     (basic auth)\n" +
  "    - https://conda.example.com/t/${CONDA_TOKEN}/private          (a conda token)\n\n" +
  "  ml-buildpacks build . --secret id=CONDA_TOKEN,env=CONDA_TOKEN   (Action: the secrets input)";

export function badYaml(file: string, line: number, message: string): BuildpackError {
  return new BuildpackError({
    title: `${file} is not valid YAML (line ${line})`,
    body: `The YAML parser says: ${message}\n\nFix line ${line} of ${file}.\n\n${FORMAT}`,
    file,
    line,
  });
}

export function notAMap(file: string, line: number): BuildpackError {
  return new BuildpackError({
    title: `${file} is not a map of name, channels and dependencies`,
    body: `${file} must be a YAML map at the top level.\n\n${FORMAT}`,
    file,
    line,
  });
}

export function missingDependencies(file: string): BuildpackError {
  return new BuildpackError({
    title: `${file} has no dependencies`,
    body:
      `${file} must list the conda packages to install under a "dependencies" key; without it there\n` +
      `is no environment to build.\n\n${FORMAT}`,
    file,
  });
}

export function notAList(file: string, line: number, key: string): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line}: "${key}" must be a list`,
    body: `Write each entry of "${key}" on its own line, starting with "- ".\n\n${FORMAT}`,
    file,
    line,
  });
}

export function badEntry(file: string, line: number, key: string, item: string): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line}: ${JSON.stringify(item)} is not a valid ${key} entry`,
    body:
      `Each entry of "${key}" is one string: a conda match spec such as "numpy>=2" or "python=3.11"\n` +
      `for dependencies, a channel name or URL for channels. The only nested entry allowed is a\n` +
      `"- pip:" list under dependencies.\n\n${FORMAT}`,
    file,
    line,
  });
}

export function pipNotInEnvironment(file: string, line: number): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line}: the "pip:" section needs pip in the environment`,
    body:
      `The conda environment has no pip to install the "pip:" section with. List pip among the conda\n` +
      "dependencies, before the section, as conda itself requires:\n\n" +
      "  dependencies:\n" +
      "    - python=3.11\n" +
      "    - pip\n" +
      "    - pip:\n" +
      "        - some-pypi-only-package==1.2.3",
    file,
    line,
  });
}

export function pipSectionFailed(file: string, line: number, code: number, hints: string[]): BuildpackError {
  return new BuildpackError({
    title: `pip could not install the "pip:" section of ${file}`,
    body:
      `The environment's pip exited with status ${code}; its output above says which requirement failed.\n\n` +
      hints.map((h) => `${h}\n\n`).join("") +
      "Check the requirement's name and version on the package index (PIP_INDEX_URL / PIP_EXTRA_INDEX_URL\n" +
      "in the build environment for a private one), and prefer conda packages where the channel has them.",
    file,
    line,
  });
}

export function bothEnvironmentFiles(files: readonly string[]): BuildpackError {
  return new BuildpackError({
    title: `This app has both ${files.join(" and ")}`,
    body: `conda reads one environment file. Keep one of them and delete the other.`,
    file: files[1] ?? files[0],
  });
}

export function notExplicit(file: string): BuildpackError {
  return new BuildpackError({
    title: `${file} is not an explicit conda lock`,
    body:
      `${file} has no "@EXPLICIT" line. An explicit lock lists one package URL per line, each with its\n` +
      "hash, after @EXPLICIT, as `conda-lock --kind explicit` or `conda list --explicit --sha256` write:\n\n" +
      "  @EXPLICIT\n" +
      "  https://conda.anaconda.org/conda-forge/linux-64/numpy-2.2.6-py311_0.tar.bz2#sha256:<64 hex digits>\n\n" +
      "Regenerate it, or delete it to have environment.yml solved instead.",
    file,
  });
}

export function badLockLine(file: string, line: number, text: string, problem: string): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line}: ${problem}`,
    body:
      `The line reads: ${text}\n\n` +
      "Every package line of an explicit lock is an http(s) URL of a .conda or .tar.bz2 file followed by\n" +
      "its hash: #sha256:<64 hex digits> (or #<32 hex digits> for md5). The buildpack installs exactly\n" +
      "these files and checks every download against its hash, so a line without one is refused.\n\n" +
      "Regenerate the lock (`conda-lock --kind explicit`, or `conda list --explicit --sha256`).",
    file,
    line,
  });
}

export function emptyLock(file: string): BuildpackError {
  return new BuildpackError({
    title: `${file} lists no packages`,
    body: `${file} has an @EXPLICIT line but no package URLs after it. Regenerate the lock.`,
    file,
  });
}

export function lockForOtherPlatform(found: readonly string[], wanted: string): BuildpackError {
  return new BuildpackError({
    title: `No conda lock for this build's platform: ${wanted} is missing`,
    body:
      `The app has ${found.join(", ")}, but this build is for ${wanted.replace(/^conda-|\.lock$/g, "")}.\n` +
      "Explicit locks are per platform; the buildpack never installs one made for another platform.\n\n" +
      `Generate ${wanted} too (conda-lock --kind explicit --platform ${wanted.replace(/^conda-|\.lock$/g, "")}),\n` +
      "or delete the locks to have environment.yml solved at build time.",
    file: found[0],
  });
}

export function lockStale(
  lock: string,
  envFile: string,
  subdir: string,
  stale: readonly { line: number; spec: string; locked?: { name: string; version: string; line: number } }[],
  pip: { line: number; count: number } | undefined,
): BuildpackError {
  const rows = stale.map((e) => [
    `${envFile}:${e.line}`,
    e.spec,
    e.locked ? `${lock}:${e.locked.line} has ${e.locked.name} ${e.locked.version}` : `not in ${lock}`,
  ]);
  if (pip)
    rows.push([
      `${envFile}:${pip.line}`,
      `pip: (${pip.count} requirements)`,
      `an explicit lock installs no pip packages`,
    ]);
  const w0 = Math.max(...rows.map((r) => (r[0] ?? "").length));
  const w1 = Math.max(...rows.map((r) => (r[1] ?? "").length));
  const table = rows
    .map((r) => `  ${(r[0] ?? "").padEnd(w0)}  ${(r[1] ?? "").padEnd(w1)}  ${r[2]}`)
    .join("\n");
  const first = stale[0]?.line ?? pip?.line;
  return new BuildpackError({
    title: `${lock} is out of date with ${envFile}`,
    body:
      `The build installs ${lock} exactly, but ${envFile} asks for what the lock does not have:\n\n` +
      `${table}\n\n` +
      "The image would lack them, so the build stops. Regenerate the lock from the environment file and\n" +
      `commit it:\n\n  conda-lock -f ${envFile} -p ${subdir} --kind explicit\n\n` +
      (pip
        ? `An explicit lock carries conda packages only: for the pip section, delete ${lock} to have\n` +
          `${envFile} solved at build time (its pip section is installed then).`
        : `Or delete ${lock} to have ${envFile} solved at build time.`),
    file: envFile,
    ...(first !== undefined ? { line: first } : {}),
  });
}

export function unsatisfiable(file: string, specs: readonly string[], message: string): BuildpackError {
  return new BuildpackError({
    title: `The packages in ${file} cannot be installed together`,
    body:
      `The solver (rattler) says:\n\n${message.trim()}\n\n` +
      `It was asked for: ${specs.join(", ")}\n\n` +
      "Relax the version of the package it names, or add the channel that carries it to channels:\n" +
      "(a mirror for every named channel is set with BP_CONDA_CHANNEL_ALIAS).",
    file,
  });
}

export function invalidSpec(file: string, message: string): BuildpackError {
  return new BuildpackError({
    title: `${file} has a dependency that is not a valid conda match spec`,
    body:
      `The solver (rattler) says:\n\n${message.trim()}\n\n` +
      'Write dependencies as conda match specs: "numpy", "numpy>=2", "python=3.11", "numpy=2.2.6=py311_0".',
    file,
  });
}

export function unreachable(channels: readonly string[], message: string, file: string): BuildpackError {
  return new BuildpackError({
    title: "A conda channel could not be reached",
    body:
      `rattler could not download from the channels:\n\n${message.trim()}\n\n` +
      `Channels: ${channels.join(", ") || "(the lock's URLs)"}\n\n` +
      "Check the build's network and the channel names. Behind a firewall, point every named channel at\n" +
      "a mirror with BP_CONDA_CHANNEL_ALIAS (e.g. https://conda-mirror.example.com); a TLS-intercepting\n" +
      "proxy needs its CA bundle (ml-buildpacks build --ca-certs FILE)." +
      (/\b40[13]\b/.test(message)
        ? `\n\nThe channel answered 401/403: its credentials are missing, wrong or expired.\n${PRIVATE_CHANNELS}`
        : ""),
    file,
  });
}

export function hashMismatch(
  file: string,
  line: number,
  url: string,
  kind: string,
  expected: string,
  actual: string,
): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line}: a downloaded package does not match its ${kind}`,
    body:
      `${url}\n  ${kind} in ${file}: ${expected}\n  ${kind} of the download: ${actual}\n\n` +
      "The channel served another file than the one locked; nothing was installed. If the package was\n" +
      "re-uploaded on purpose, regenerate the lock; otherwise check the mirror or proxy between the build\n" +
      "and the channel.",
    file,
    line,
  });
}

export function installFailed(message: string): BuildpackError {
  return new BuildpackError({
    title: "rattler could not install the conda environment",
    body:
      `${message.trim()}\n\n` +
      "The packages were resolved but could not be linked into the environment. Retry the build; if it\n" +
      "fails again, build once with a cleared cache (ml-buildpacks build --clear-cache).",
  });
}

export function channelsChanged(message: string): BuildpackError {
  return new BuildpackError({
    title: "The conda channels changed during the build",
    body: `${message}. Build again.`,
  });
}

export function driverCrashed(command: string, code: number, output: string): BuildpackError {
  return new BuildpackError({
    title: "The conda driver (py-rattler) failed",
    body:
      `\`${command}\` exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\n` +
      "This is a problem in the buildpack or its pinned py-rattler, not in your app: please report it with this log.",
  });
}

export function credentialsInFile(file: string, line: number, url: string): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line}: a channel URL holds a password or token`,
    body:
      `${url}\n\n${file} is part of the app, copied into the image and kept in your repository, so a\n` +
      `credential written in it leaks. Replace it with \${VAR} and pass VAR as a build secret.\n\n${PRIVATE_CHANNELS}`,
    file,
    line,
  });
}

export function channelSecretMissing(
  name: string,
  url: string,
  origin: { file: string; line: number } | { variable: string },
): BuildpackError {
  const where = "file" in origin ? `${origin.file} line ${origin.line}` : origin.variable;
  return new BuildpackError({
    title: `${where}: the channel's credentials need \${${name}}, which the build does not have`,
    body:
      `${url}\n\nPass ${name} as a build secret (it is read when the packages are downloaded and recorded\n` +
      `nowhere).\n\n${PRIVATE_CHANNELS}`,
    ...("file" in origin ? { file: origin.file, line: origin.line } : {}),
  });
}

export function conflictingCredentials(host: string): BuildpackError {
  return new BuildpackError({
    title: `Two channels on ${host} have different credentials`,
    body:
      `rattler (the conda installer) keeps one credential per host, so channels on ${host} must all use\n` +
      "the same user name and password or token. Use the same ${VAR} in each of their URLs.",
  });
}
