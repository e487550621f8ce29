import { type BuildContext, type BuildResult, describeTarget } from "#libcnb";
import { checkBuildEnv } from "./build-env.js";
import { type Decision, decidePython } from "./decision.js";
import { installCpython } from "./layers/cpython.js";
import { writePythonLayer } from "./layers/python.js";
import {
  availableVersions,
  describeAvailable,
  findBuild,
  loadManifest,
  MANIFEST_ENV,
  mirrorBase,
} from "./manifest.js";
import { checkPackageManagers } from "./package-managers.js";
import { CONSTRAINT_SOURCES, type Constraint, describeConstraint, readConstraints } from "./request.js";
import { writePythonSbom } from "./sbom.js";
import { STACK_PYTHON, stackPythonVersion } from "./stack-python.js";

export const VERSION_LABEL = "io.ml-buildpacks.python.version";

function listed(c: Constraint): string {
  return `${describeConstraint(c)} (${c.pin ? "pin" : "range"})`;
}

export async function build(ctx: BuildContext): Promise<BuildResult> {
  const log = ctx.logger;
  // Runs for every Python app (every order group with Python starts with this buildpack), before any
  // install: settings that would break it are refused here, naming the user's file or variable.
  checkBuildEnv(ctx.platformEnv);
  checkPackageManagers(ctx.app);
  log.header("Determining Python version");
  const { constraints, warnings } = readConstraints(ctx.app);
  for (const w of warnings) log.warning(w.title, w.body);
  if (constraints.length > 0) {
    log.step("Python version requirements:");
    log.detail(constraints.map(listed));
  }
  const stackVersion = await stackPythonVersion(ctx.exec);
  log.step(`The stack provides Python ${stackVersion} (${STACK_PYTHON})`);
  const manifest = loadManifest(ctx.appDir, ctx.env);
  if (!manifest.builtin) {
    log.warning(
      `Using the Python manifest ${manifest.source} (${MANIFEST_ENV})`,
      "Python downloads are checked against the sha256 sums in that file instead of the buildpack's own.",
    );
  }
  const available = availableVersions(manifest, ctx.target.arch);
  const decision: Decision = decidePython(constraints, {
    stackVersion,
    available,
    platform: `${ctx.target.os}/${ctx.target.arch}`,
    describeAvailable: describeAvailable(available),
    manifest,
    sources: CONSTRAINT_SOURCES,
  });
  log.step(decision.reason);

  let python = STACK_PYTHON;
  let installed: Parameters<typeof writePythonSbom>[2];
  if (decision.kind === "stack") {
    if (decision.recommendPin) {
      log.detail([
        `Pin it for repeatable builds: write "${stackVersion.split(".").slice(0, 2).join(".")}" into .python-version`,
        '(a minor version gets its newest patch release; "system" keeps the stack\'s Python).',
      ]);
    }
  } else {
    const found = findBuild(manifest, decision.version, ctx.target.arch);
    if (!found) throw new Error(`manifest has no ${decision.version} for ${ctx.target.arch}`);
    log.header(`Installing Python ${decision.version} (${describeTarget(ctx.target)})`);
    python = await installCpython(ctx, found, mirrorBase(ctx.env), manifest.source);
    installed = { build: found, mirror: mirrorBase(ctx.env) };
    log.step(`Later buildpacks and the app use ${python}`);
  }
  // When the stack's Python is used, a cpython layer restored from the cache is not written again,
  // so it is not part of this build's image or cache.
  writePythonLayer(ctx.layers, decision.version, python);
  writePythonSbom(ctx, decision.version, installed);
  return { labels: [{ key: VERSION_LABEL, value: decision.version }] };
}
