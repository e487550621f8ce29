import { type BuildContext, describeTarget } from "#libcnb";
import { finishVenv } from "#pybuild/finish-venv";
import { keepPipCache, pipCacheKey, preparePipCache, savePipCache } from "#pybuild/pip-cache";
import { selectedPython } from "#pybuild/stack-python";
import { requireVenvOnDisk, venvFlags, venvNeededAtBuild } from "#pybuild/venv-at-build";
import { REQUIREMENTS } from "./detect.js";
import {
  createVenv,
  decideVenv,
  type InstallSource,
  installRequirements,
  sourceFile,
  venvKey,
  writeVenvEnv,
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
  const neededAtBuild = venvNeededAtBuild(ctx.app);
  const key = venvKey(source, tools, ctx.target);
  const cacheKey = pipCacheKey({ appVersion: tools.version, pipVersion: tools.pipVersion }, ctx.target);
  const venv = ctx.layers.get("venv");
  if (venv.restoreProblem) log.warning("Ignoring unreadable venv metadata", venv.restoreProblem);
  const decision = requireVenvOnDisk(decideVenv(key, venv, source), venv, neededAtBuild);

  if (decision.action === "reuse") {
    log.step(`Reusing virtual environment (${sourceFile(source)} unchanged)`);
    // Rewriting only venv.toml (no <layers>/venv dir) makes the exporter keep the previous image's
    // layer; a Django app's venv was restored from the cache and is exported again unchanged.
    venv.write(key, venvFlags(neededAtBuild));
    keepPipCache(ctx, cacheKey);
    return;
  }
  if (decision.action === "rebuild") {
    log.step("Discarding the virtual environment from the previous image:");
    log.detail(decision.reasons);
  }

  venv.reset();
  const cache = preparePipCache(ctx, cacheKey);
  await createVenv(ctx, venv, tools);
  await installRequirements(ctx, venv, tools, source, cache.path);
  await finishVenv(ctx, venv.path);
  writeVenvEnv(venv);
  venv.write(key, venvFlags(neededAtBuild));
  savePipCache(cache, cacheKey);
}
