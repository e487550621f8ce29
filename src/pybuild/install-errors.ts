// The failed-install message of the lock-file installers (uv, Poetry, Pipenv), and the advice they
// share for failures recognisable in the installer's output.
import { BuildpackError } from "../libcnb/index.js";

/** `tool` is what talked to the index (pip, or uv). */
export function tlsHint(tool: string): string {
  return (
    `${tool} could not verify the package index's TLS certificate. If a proxy or private index uses its\n` +
    "own certificate authority, pass its CA bundle to the build (ml-buildpacks build --ca-certs FILE)."
  );
}

/** A file whose sha256 differs from the lock's; `relock` is the command that records the new one. */
export function hashMismatchHint(lock: string, relock: string): string {
  return (
    `A downloaded file does not match the hash ${lock} records for it: the index serves a\n` +
    `different file than the one locked. Run \`${relock}\` if the package was re-released.`
  );
}

export interface InstallFailure {
  title: string;
  /** What exited, e.g. "uv sync". */
  command: string;
  code: number;
  /** The build's Python version and os/arch. */
  python: string;
  platform: string;
  hints: string[];
  /** The command that locks again, e.g. "uv lock". */
  relock: string;
  /** Further "  - cause: what to do" lines, each ending in a newline. */
  otherCauses: string;
  /** How to run the same install on the user's machine. */
  reproduce: string;
  file: string;
}

export function installFailed(f: InstallFailure): BuildpackError {
  return new BuildpackError({
    title: f.title,
    body:
      `${f.command} exited with status ${f.code}. Its output above says which package failed and why.\n\n` +
      f.hints.map((h) => `${h}\n\n`).join("") +
      "Common causes and what to do:\n" +
      `  - no wheel for Python ${f.python} on ${f.platform}, and building from source failed:\n` +
      `    lock a version that publishes wheels for this Python and architecture (\`${f.relock}\`);\n` +
      f.otherCauses +
      `\nTo reproduce locally: ${f.reproduce}`,
    file: f.file,
  });
}
