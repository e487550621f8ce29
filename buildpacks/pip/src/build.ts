import { type BuildContext, describeTarget } from "#libcnb";
import { finishVenv } from "#pybuild/finish-venv";
import { createVenv, openVenv } from "#pybuild/launch-venv";
import { keepPipCache, pipCacheKey, preparePipCache, savePipCache } from "#pybuild/pip-cache";
import { PIP_ENV } from "#pybuild/pip-install";
import { selectedPython } from "#pybuild/stack-python";
import { REQUIREMENTS } from "./detect.js";
import {
  alwaysRebuild,
  type InstallSource,
  installRequirements,
  LAUNCH_DEFAULTS,
  sourceFile,
  venvDescribers,
  venvKey,
} from "./layers/venv.js";
import { readProject } from "./project.js";
import { probePython } from "./python.js";
import { fingerprintRequirements } from "./requirements.js";

/** requirements.txt when there is one; otherwise the app itself, as a package (detect saw its files). */
function installSource(ctx: BuildContext): InstallSource {
  const log = ctx.logger;
  if (ctx.app.isFile(REQUIREMENTS)) {
    const req = fingerprintRequirements(ctx.app, REQUIREMENTS);
    if (req.included.length) log.step(`${REQUIREMENTS} includes ${req.included.join(", ")}`);
    if (req.hashed) {
      log.step(`${REQUIREMENTS} pins --hash values: pip checks every download against them`);
    }
    const local = req.localPaths[0];
    if (local) ctx.appReads.dependsOnWholeApp(`${local.file}:${local.line} installs ${local.spec}`);
    return { kind: "requirements", file: REQUIREMENTS, req };
  }
  const project = readProject(ctx.app);
  log.step(
    `No ${REQUIREMENTS} or lockfile: installing the app from ${project.file}, built by ${project.backend}`,
  );
  for (const note of project.notes) log.detail(note.split("\n"));
  ctx.appReads.dependsOnWholeApp(`pip install . builds the app's package from the app dir`);
  return { kind: "project", project };
}

export async function build(ctx: BuildContext): Promise<void> {
  const log = ctx.logger;
  log.header("Installing requirements");
  const tools = await probePython(ctx.exec, selectedPython(ctx.env));
  const pip = tools.pipMode === "system" ? `pip ${tools.pipVersion}` : "pip from ensurepip";
  log.step(`Python ${tools.version}, ${pip}, ${describeTarget(ctx.target)}`);

  const source = installSource(ctx);
  const key = venvKey(source, tools, ctx.target);
  const cacheKey = pipCacheKey({ appVersion: tools.version, pipVersion: tools.pipVersion }, ctx.target);
  const launch = openVenv(ctx, key, venvDescribers(source), `${sourceFile(source)} unchanged`, {
    alwaysRebuild: alwaysRebuild(source),
    launchDefaults: LAUNCH_DEFAULTS,
  });
  if (launch.reused) {
    keepPipCache(ctx, cacheKey);
    return;
  }
  const venv = launch.layer;

  venv.reset();
  const cache = preparePipCache(ctx, cacheKey);
  // Without a usable system pip the venv brings its own, from ensurepip.
  await createVenv(ctx, venv, tools.python, { withPip: tools.pipMode === "venv", env: PIP_ENV });
  await installRequirements(ctx, venv, tools, source, cache.path);
  await finishVenv(ctx, venv.path);
  launch.save();
  savePipCache(cache, cacheKey);
}
