// Every message the pip buildpack shows a user: what happened and what to do.
import { BuildpackError } from "../../../src/libcnb/index.js";

export function pythonNotFound(python: string, detail: string): BuildpackError {
  return new BuildpackError({
    title: `Python was not found at ${python}`,
    body:
      `The pip buildpack builds a virtual environment from the stack's CPython at ${python},\n` +
      `but it could not be run (${detail}).\n\n` +
      "Use an ml-buildpacks builder, or install python3 in the build and run images of your stack.",
  });
}

export function pythonBroken(python: string, code: number, output: string): BuildpackError {
  return new BuildpackError({
    title: `${python} did not report its version`,
    body:
      `Running ${python} exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\n` +
      "The stack's Python installation looks broken; rebuild the stack images.",
  });
}

export function venvFailed(command: string, code: number, output: string): BuildpackError {
  const noEnsurepip = /ensurepip/.test(output);
  return new BuildpackError({
    title: "Could not create the virtual environment",
    body:
      `\`${command}\` exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\n` +
      (noEnsurepip
        ? "The build image has neither pip (Debian python3-pip) nor venv's ensurepip (python3-venv).\n" +
          "Install python3-pip and python3-venv in the stack's build image."
        : "This is a problem with the stack's Python, not with your app; rebuild the stack images."),
  });
}

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

export function pipInstallFailed(
  file: string,
  code: number,
  python: string,
  platform: string,
  hints: string[] = [],
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
      `/tmp/venv/bin/pip install -r ${file}`,
    file,
  });
}
