// Every message the hardware buildpack shows a user: what happened and what to do.
import { BuildpackError } from "#libcnb";
import { HARDWARE } from "./hardware-values.js";

const valid = () =>
  `Valid values: ${HARDWARE.join(", ")}.\n  cpu   - CPU only (CPU builds of PyTorch & co.)\n  cuda  - NVIDIA GPUs (needs the cuda builder)\n  aws   - NVIDIA GPUs on AWS instances (needs the cuda builder)\n  coral - Coral Edge TPU (libedgetpu from Coral's apt source)`;

export function emptyFile(file: string): BuildpackError {
  return new BuildpackError({
    title: `${file} names no hardware`,
    body: `${file} has only blank lines or comments.\n\n${valid()}\n\nWrite one of them, or delete ${file} (cpu is the default).`,
    file,
  });
}

export function severalValues(file: string, values: { text: string; line: number }[]): BuildpackError {
  return new BuildpackError({
    title: `${file} names more than one hardware target`,
    body:
      `${file} may name one target; it has ${values.length}:\n` +
      values.map((v) => `  line ${v.line}: ${v.text}`).join("\n") +
      `\n\n${valid()}\n\nBuild one image per target (e.g. a CI matrix), each with its own ${file}.`,
    file,
    line: values[1]?.line,
  });
}

export function unknownHardware(file: string, line: number, text: string): BuildpackError {
  return new BuildpackError({
    title: `${file} names unknown hardware: ${JSON.stringify(text)}`,
    body: `Line ${line} says ${JSON.stringify(text)}.\n\n${valid()}\n\nFix line ${line} of ${file}.`,
    file,
    line,
  });
}

export function needsCudaStack(
  file: string,
  line: number,
  value: string,
  flavor: string,
  builder: string | undefined,
): BuildpackError {
  // The builder names differ per registry mirror; the flavor setting is the same everywhere.
  const switchTo = builder
    ? `  - build with the cuda builder your platform team names: --builder ${builder};\n`
    : "  - build with the cuda flavor: `flavor: cuda` (GitHub Action, GitLab component),\n" +
      "    --flavor cuda (CLI), or the cuda builder image as BUILDER_IMAGE (Tekton);\n";
  return new BuildpackError({
    title: `${file} asks for ${value}, which needs the cuda builder (this is the ${flavor} builder)`,
    body:
      `${file} (line ${line}) says ${value}: the app runs on NVIDIA GPUs and needs the CUDA runtime\n` +
      `libraries in its image. This builder's stack (${flavor}) has none.\n\n` +
      "What to do:\n" +
      switchTo +
      `  - or, for a CPU-only image, change ${file} to "cpu".`,
    file,
    line,
  });
}

export function badIndexUrl(name: string, value: string): BuildpackError {
  return new BuildpackError({
    title: `${name} is not an http(s) URL: ${JSON.stringify(value)}`,
    body: `${name} (build env) must be the base URL of a PyTorch wheel index, e.g. https://download.pytorch.org/whl.`,
  });
}

/** The file is larger than any hand-written one (often a generated or binary file under that name). */
export function tooLarge(file: string, size: number, limit: number): BuildpackError {
  return new BuildpackError({
    title: `${file} is too large (${size} bytes)`,
    body:
      `${file} holds ${size} bytes; hardware.txt names one hardware target and is read only up to ${limit} bytes. A file this size is usually a\n` +
      "generated or binary file committed under that name.\n\n" +
      `What to do: write only the hardware target (cpu, cuda, aws or coral) in ${file}.`,
    file,
  });
}
