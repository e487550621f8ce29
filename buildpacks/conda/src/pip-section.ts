// environment.yml's `- pip:` section, as conda does it: after the conda packages are linked, the
// environment's own pip installs the listed requirements into it (same prefix, so they are part of the
// env layer). The requirements are written to a temporary file, as conda's pip subprocess does, so
// `-r`/`--index-url` lines and markers keep their meaning. They are not locked: the env layer's key
// holds environment.yml's sha256, so pin them (==) for repeatable images, as with requirements.txt.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BuildContext } from "#libcnb";
import * as errors from "./errors.js";

export function pipArgs(requirements: string, cacheDir: string): string[] {
  return [
    "-m",
    "pip",
    "install",
    "--no-input",
    "--disable-pip-version-check",
    "--no-warn-script-location",
    "--progress-bar",
    "off",
    "--cache-dir",
    cacheDir,
    "--requirement",
    requirements,
  ];
}

/** pip never leaves the environment: no user site, no virtualenv or user-install settings from outside. */
export const PIP_ENV: Record<string, string | undefined> = {
  PIP_USER: undefined,
  PIP_REQUIRE_VIRTUALENV: undefined,
  PIP_TARGET: undefined,
  PIP_PREFIX: undefined,
  PYTHONNOUSERSITE: "1",
  PYTHONUNBUFFERED: "1",
  VIRTUAL_ENV: undefined,
};

export async function installPipSection(
  ctx: Pick<BuildContext, "exec" | "logger" | "appDir">,
  prefix: string,
  requirements: readonly string[],
  file: string,
  line: number,
  cacheDir: string,
): Promise<void> {
  const python = join(prefix, "bin", "python");
  const check = await ctx.exec(python, ["-I", "-c", "import pip"], { env: PIP_ENV });
  if (check.code !== 0) throw errors.pipNotInEnvironment(file, line);
  const tmp = mkdtempSync(join(tmpdir(), "conda-pip-"));
  try {
    const reqFile = join(tmp, "requirements.txt");
    writeFileSync(reqFile, requirements.map((r) => `${r}\n`).join(""));
    await ctx.logger.streamed(
      `Installing the pip section of ${file} (${requirements.join(", ")})`,
      async (output) => {
        const r = await ctx.exec(python, pipArgs(reqFile, cacheDir), {
          cwd: ctx.appDir,
          env: PIP_ENV,
          output,
        });
        if (r.code !== 0) {
          const hints = /CERTIFICATE_VERIFY_FAILED/.test(r.output)
            ? [
                "pip could not verify the package index's TLS certificate. If a proxy or private index uses its\n" +
                  "own certificate authority, pass its CA bundle to the build (ml-buildpacks build --ca-certs FILE).",
              ]
            : [];
          throw errors.pipSectionFailed(file, line, r.code, hints);
        }
      },
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Pure: the pip-section entries pip would read from the app (editables, relative or file: paths,
 * bare paths with a slash), which make the environment depend on more than environment.yml.
 */
export function localPipRequirements(requirements: readonly string[]): string[] {
  return requirements.filter(
    (r) => /^(?:-e\b|--editable\b|\.|\/|file:)/.test(r) || /^[^:@\s]+\/[^:\s]*$/.test(r),
  );
}
