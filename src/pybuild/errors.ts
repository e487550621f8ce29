// Messages of the shared Python tooling: what happened and what to do. `who` names the buildpack.
import { BuildpackError } from "../libcnb/index.js";

export function pythonNotFound(who: string, python: string, detail: string): BuildpackError {
  return new BuildpackError({
    title: `Python was not found at ${python}`,
    body:
      `The ${who} buildpack builds a virtual environment from the stack's CPython at ${python},\n` +
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

export function pipTooOld(who: string, python: string, pip: string | undefined): BuildpackError {
  return new BuildpackError({
    title: pip ? `The stack's pip ${pip} is too old` : `The stack's Python has no pip`,
    body:
      `The ${who} buildpack installs with ${python} -m pip --python (pip 22.3 or newer).\n\n` +
      "Use an ml-buildpacks builder, or install python3-pip in the build image of your stack.",
  });
}

export function toolInstallFailed(
  tool: string,
  command: string,
  code: number,
  output: string,
): BuildpackError {
  return new BuildpackError({
    title: `Could not install ${tool}`,
    body:
      `\`${command}\` exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\n` +
      `${tool} and its dependencies are pinned by sha256 in the buildpack. If pip could not reach PyPI,\n` +
      "check the build's network (or set PIP_INDEX_URL to a mirror); if a hash did not match, the\n" +
      "download was changed in transit: retry, and check the proxy or mirror between the build and PyPI.",
  });
}

export function venvFailed(command: string, code: number, output: string): BuildpackError {
  // Only a venv seeded with pip runs ensurepip (pip's buildpack, when the stack's pip is too old).
  const noEnsurepip = /ensurepip/.test(output);
  return new BuildpackError({
    title: "Could not create the virtual environment",
    body:
      `\`${command}\` exited with status ${code}:\n\n${output.trim() || "(no output)"}\n\n` +
      (noEnsurepip
        ? "The build image has neither pip (Debian python3-pip) nor venv's ensurepip (python3-venv).\n" +
          "Install python3-pip and python3-venv in the stack's build image."
        : "This is a problem with the stack's Python (python3-venv), not with your app; rebuild the stack images."),
  });
}
