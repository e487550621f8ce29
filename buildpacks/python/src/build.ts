import type { BuildContext, BuildResult } from "../../../src/libcnb/index.js";
import * as errors from "./errors.js";
import { writePythonLayer } from "./layers/python.js";
import { checkPackageManagers } from "./package-managers.js";
import { minorOf, readVersionRequest, satisfies, VERSION_FILE } from "./python-version.js";
import { STACK_PYTHON, stackPythonVersion } from "./stack-python.js";

export const VERSION_LABEL = "io.ml-buildpacks.python.version";

export async function build(ctx: BuildContext): Promise<BuildResult> {
  const log = ctx.logger;
  // Runs for every Python app (every order group starts with this buildpack), before any install.
  checkPackageManagers(ctx.app);
  log.header("Determining Python version");
  const request = readVersionRequest(ctx.app);
  const version = await stackPythonVersion(ctx.exec);
  log.step(`The stack provides Python ${version} (${STACK_PYTHON})`);
  if (request) {
    if (!satisfies(version, request)) {
      throw errors.versionNotAvailable(request.file, request.line, request.text, version, minorOf(version));
    }
    log.step(`${request.file} requests Python ${request.text}: satisfied by ${version}`);
  } else {
    log.step(`No ${VERSION_FILE} in the app: using Python ${version}`);
  }

  writePythonLayer(ctx.layers, version);
  return { labels: [{ key: VERSION_LABEL, value: version }] };
}
