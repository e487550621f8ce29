import { type BuildContext, type BuildResult, describeTarget } from "../../../src/libcnb/index.js";
import * as errors from "./errors.js";
import { installCpython } from "./layers/cpython.js";
import { writePythonLayer } from "./layers/python.js";
import {
  availableVersions,
  describeAvailable,
  findBuild,
  loadManifest,
  MANIFEST_ENV,
  type Manifest,
  mirrorBase,
} from "./manifest.js";
import { checkPackageManagers } from "./package-managers.js";
import { type PythonRequest, readPythonRequest, requestMatches } from "./request.js";
import { STACK_PYTHON, stackPythonVersion } from "./stack-python.js";

export const VERSION_LABEL = "io.ml-buildpacks.python.version";

/** The files a request may come from, for the "nothing requested" log line. */
const REQUEST_FILES = ".python-version, pyproject.toml requires-python, Pipfile [requires], environment.yml";

export type Selection = { kind: "stack"; version: string } | { kind: "download"; version: string };

function where(req: PythonRequest): string {
  return req.line ? `${req.file} (line ${req.line})` : req.file;
}

/**
 * The stack's Python when it satisfies the request (or nothing was requested), else the newest
 * supported build in the manifest that does. EOL and unknown versions are errors listing what is
 * supported.
 */
export function selectPython(
  request: PythonRequest | undefined,
  stackVersion: string,
  manifest: Manifest,
  target: BuildContext["target"],
): Selection {
  if (!request || requestMatches(stackVersion, request)) return { kind: "stack", version: stackVersion };
  const versions = availableVersions(manifest, target.arch);
  const match = versions.find((v) => requestMatches(v, request));
  if (match) return { kind: "download", version: match };
  const available = describeAvailable(versions);
  const platform = `${target.os}/${target.arch}`;
  const example =
    versions[0]?.split(".").slice(0, 2).join(".") ?? stackVersion.split(".").slice(0, 2).join(".");
  if (requestsEndOfLife(request)) throw errors.endOfLife(request, stackVersion, available, platform, example);
  throw errors.unknownVersion(request, stackVersion, available, platform, example, manifest);
}

/** True when only CPython 3.0 to 3.9 (or 2.x) could satisfy the request. */
function requestsEndOfLife(request: PythonRequest): boolean {
  const candidates: string[] = [];
  for (let minor = 0; minor <= 9; minor++)
    for (let patch = 0; patch <= 30; patch++) candidates.push(`3.${minor}.${patch}`);
  for (let patch = 0; patch <= 18; patch++) candidates.push(`2.7.${patch}`);
  return candidates.some((v) => requestMatches(v, request));
}

export async function build(ctx: BuildContext): Promise<BuildResult> {
  const log = ctx.logger;
  // Runs for every Python app (every order group starts with this buildpack), before any install.
  checkPackageManagers(ctx.app);
  log.header("Determining Python version");
  const request = readPythonRequest(ctx.app);
  const stackVersion = await stackPythonVersion(ctx.exec);
  log.step(`The stack provides Python ${stackVersion} (${STACK_PYTHON})`);
  const manifest = loadManifest(ctx.appDir, ctx.env);
  if (!manifest.builtin) {
    log.warning(
      `Using the Python manifest ${manifest.source} (${MANIFEST_ENV})`,
      "Python downloads are checked against the sha256 sums in that file instead of the buildpack's own.",
    );
  }
  const selection = selectPython(request, stackVersion, manifest, ctx.target);

  let python = STACK_PYTHON;
  if (!request) {
    log.step(`No Python version requested (looked at ${REQUEST_FILES}): using Python ${stackVersion}`);
  } else if (selection.kind === "stack") {
    log.step(`${where(request)} requests Python ${request.text}: satisfied by ${stackVersion}`);
  } else {
    log.step(
      `${where(request)} requests Python ${request.text}: not the stack's ${stackVersion}, installing ${selection.version}`,
    );
    const found = findBuild(manifest, selection.version, ctx.target.arch);
    if (!found) throw new Error(`manifest has no ${selection.version} for ${ctx.target.arch}`);
    log.header(`Installing Python ${selection.version} (${describeTarget(ctx.target)})`);
    python = await installCpython(ctx, found, mirrorBase(ctx.env), manifest.source);
    log.step(`Later buildpacks and the app use ${python}`);
  }
  // When the stack's Python is used, a cpython layer restored from the cache is not written again,
  // so it is not part of this build's image or cache.
  writePythonLayer(ctx.layers, selection.version, python);
  return { labels: [{ key: VERSION_LABEL, value: selection.version }] };
}
