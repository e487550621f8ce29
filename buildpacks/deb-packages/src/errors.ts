// Every message the deb-packages buildpack shows a user: what happened and what to do.
import { BuildpackError } from "#libcnb";
import type { ExtraSource, PackageRequest } from "./package-request.js";

const FORMAT =
  "An Aptfile lists one Debian package per line, optionally pinned to a version:\n\n" +
  "    # OpenCV's GUI build needs these at run time\n" +
  "    libgl1\n" +
  "    libglib2.0-0=2.84.4-3~deb13u5\n";

export function aptfileSeveralPackages(file: string, line: number, text: string): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line} names more than one package`,
    body: `Line ${line} is ${JSON.stringify(text)}. ${FORMAT}\nPut each package on its own line.`,
    file,
    line,
  });
}

export function aptfileUrl(file: string, line: number, text: string): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line} is a URL or a .deb file, not a package name`,
    body:
      `Line ${line} is ${JSON.stringify(text)}. Packages are downloaded only from signed apt sources\n` +
      "(the stack's Debian archive), so a .deb cannot be installed from a URL.\n\n" +
      `${FORMAT}\nName the package instead; if it is not in Debian, install it another way.`,
    file,
    line,
  });
}

export function aptfileRepo(file: string, line: number, text: string): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line} adds an apt repository, which is not supported`,
    body:
      `Line ${line} is ${JSON.stringify(text)}. This buildpack installs from the stack's own signed Debian\n` +
      "sources. Extra sources (with their signing keys) are added by buildpacks through the build plan,\n" +
      "e.g. ml-buildpacks/hardware for Coral's Edge TPU runtime. Remove the line.",
    file,
    line,
  });
}

export function aptfileBadLine(file: string, line: number, text: string): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line} is not a Debian package name: ${JSON.stringify(text)}`,
    body:
      "Debian package names have lowercase letters, digits and + - . only (at least two characters),\n" +
      `optionally followed by =VERSION.\n\n${FORMAT}\nFix line ${line} of ${file}.`,
    file,
    line,
  });
}

export function aptfileConflict(file: string, first: number, line: number, name: string): BuildpackError {
  return new BuildpackError({
    title: `${file} asks for ${name} twice, with different versions`,
    body: `Lines ${first} and ${line} both name ${name}. Keep one of them.`,
    file,
    line,
  });
}

export function badPlanEntry(requestedBy: string, problem: string): BuildpackError {
  return new BuildpackError({
    title: `Invalid request for Debian packages from ${requestedBy}`,
    body:
      `The "deb-packages" build plan entry required by ${requestedBy} is malformed: ${problem}.\n\n` +
      "This is a bug in that buildpack (see the deb-packages section of the README for the format).",
  });
}

export function unsignedSource(requestedBy: string, name: string, uri: string): BuildpackError {
  return new BuildpackError({
    title: `The apt source ${name} (${uri}) has no signing key`,
    body:
      `${requestedBy} asked for packages from ${uri} without a keyring to verify it with.\n` +
      "Packages are installed only from sources whose signatures apt can verify.",
  });
}

export function keyringMissing(source: ExtraSource): BuildpackError {
  return new BuildpackError({
    title: `The signing key for the apt source ${source.name} is missing`,
    body:
      `${source.requestedBy} uses the apt source ${source.uri} (${source.suite}), signed by the\n` +
      `keyring ${source.signedBy}, but that file does not exist.\n\n` +
      "Add the source's public key to the app (e.g. `curl -fsSL <key url> -o <file>`; commit it),\n" +
      "and point the requesting buildpack's setting at it.",
  });
}

export function aptMissing(detail: string): BuildpackError {
  return new BuildpackError({
    title: "apt-get was not found in the build image",
    body:
      `Running apt-get failed (${detail}). This buildpack needs a Debian-based build image with apt and\n` +
      "dpkg-deb. Use an ml-buildpacks builder.",
  });
}

export function sourceUnreachable(source: ExtraSource, lines: string[]): BuildpackError {
  return new BuildpackError({
    title: `Could not use the apt source ${source.name} at ${source.uri}`,
    body:
      `${source.requestedBy} needs packages from ${source.uri} (${source.suite}), and apt could not\n` +
      `fetch or verify its package lists:\n\n${lines.map((l) => `    ${l}`).join("\n")}\n\n` +
      "What to do:\n" +
      "  - check that the URL is right and reachable from the build (proxy, firewall, DNS);\n" +
      "  - for a mirror, point the requesting buildpack's setting at it;\n" +
      "  - NO_PUBKEY / not signed: the keyring does not match the source; use the source's own key.",
  });
}

export function updateFailed(lines: string[], code: number): BuildpackError {
  return new BuildpackError({
    title: "Could not update the package lists from the stack's Debian sources",
    body:
      `apt-get update exited with status ${code}:\n\n${lines.map((l) => `    ${l}`).join("\n") || "    (no output)"}\n\n` +
      "The build needs to reach the Debian archive the stack's sources name (see above). Check the\n" +
      "network, proxy settings (http_proxy in the build environment) or the archive's status, and retry.",
  });
}

export function unknownPackage(
  req: PackageRequest,
  kind: "unknown" | "no-version" | "no-candidate",
  distro: string,
): BuildpackError {
  const what =
    kind === "unknown"
      ? `There is no package named ${req.name} in ${distro}'s sources.`
      : kind === "no-version"
        ? `${distro}'s sources do not have version ${req.version} of ${req.name}.`
        : `${req.name} exists only as a name other packages refer to (virtual or removed); it has no installable version.`;
  const fix =
    kind === "no-version"
      ? `Remove the version pin, or pin a version \`apt-cache policy ${req.name}\` lists for ${distro}.`
      : `Check the name (\`apt-cache search <word>\` on ${distro}); library packages often carry a version,\n` +
        "e.g. libglib2.0-0t64 rather than libglib2.0.";
  return new BuildpackError({
    title:
      kind === "no-version"
        ? `Version ${req.version} of ${req.name} was not found`
        : `Package ${req.name} cannot be installed`,
    body: `${what}\n${req.file ? "" : `It was requested by ${req.origin}.\n`}\n${fix}`,
    ...(req.file ? { file: req.file } : {}),
    ...(req.line ? { line: req.line } : {}),
  });
}

export function resolveFailed(output: string, code: number): BuildpackError {
  return new BuildpackError({
    title: "apt could not resolve the requested packages",
    body:
      `apt-get install --simulate exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\n` +
      "The requested packages (or their pinned versions) conflict with each other or with what the run\n" +
      "image has installed. Remove version pins or the conflicting package from the Aptfile.",
  });
}

export function downloadFailed(code: number): BuildpackError {
  return new BuildpackError({
    title: "Could not download the Debian packages",
    body:
      `apt-get install --download-only exited with status ${code}; its output above says which package\n` +
      "and why. A hash mismatch means the download was altered on the way (proxy) or the archive changed\n" +
      "during the build: retry. A network error: check the connection to the Debian archive.",
  });
}

export function archiveMissing(file: string): BuildpackError {
  return new BuildpackError({
    title: `apt reported success but ${file} was not downloaded`,
    body: "The apt cache looks inconsistent. Rebuild with --clear-cache.",
  });
}

export function unpackFailed(file: string, code: number, output: string): BuildpackError {
  return new BuildpackError({
    title: `Could not unpack ${file}`,
    body: `dpkg-deb -X exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\nRebuild with --clear-cache; if it persists, report it with this log.`,
  });
}

export function maintainerStepFailed(
  step: string,
  what: string,
  failure: { command: string; code: number; output: string },
): BuildpackError {
  return new BuildpackError({
    title: `Setting up the ${step} files of the Aptfile's packages failed`,
    body:
      `Installed in /usr, a package would have this done by dpkg (${what}); here it runs against\n` +
      `the packages layer, and \`${failure.command}\` exited with status ${failure.code}:\n\n` +
      `${failure.output || "(no output)"}\n\n` +
      "The image would not work without it, so the build stops. Check that the Aptfile lists the whole\n" +
      "program (e.g. graphviz, not only libgvc6); if it does, report this log.",
  });
}

export function badRefreshHours(name: string, value: string): BuildpackError {
  return new BuildpackError({
    title: `${name} is not a number of hours`,
    body: `${name} is ${JSON.stringify(value)}. It says how old the resolved package set may be before\napt-get update runs again (default 24; 0 resolves on every build).`,
  });
}
