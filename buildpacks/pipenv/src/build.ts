import { type BuildContext, describeTarget } from "../../../src/libcnb/index.js";
import { finishVenv } from "../../../src/pybuild/finish-venv.js";
import { keepPipCache, pipCacheKey, preparePipCache, savePipCache } from "../../../src/pybuild/pip-cache.js";
import { unmetRequirements } from "../../../src/pybuild/python-constraint.js";
import { probePython, selectedPython } from "../../../src/pybuild/stack-python.js";
import { requireVenvOnDisk, venvFlags, venvNeededAtBuild } from "../../../src/pybuild/venv-at-build.js";
import { LOCK } from "./detect.js";
import * as errors from "./errors.js";
import { ensurePipenv, keepPipenv, PIPENV_VERSION, pipenvToolKey } from "./layers/pipenv.js";
import {
  createVenv,
  decideVenv,
  installedPackages,
  pipenvEnv,
  syncLock,
  venvKey,
  verifyLock,
  writeVenvEnv,
} from "./layers/venv.js";
import { CATEGORIES_ENV, readCategories, readProject } from "./project.js";

export async function build(ctx: BuildContext): Promise<void> {
  const log = ctx.logger;
  log.header(`Installing dependencies from ${LOCK}`);
  const tools = await probePython("pipenv", ctx.exec, selectedPython(ctx.env));
  log.step(
    `Python ${tools.appVersion} (${tools.appPython}), Pipenv ${PIPENV_VERSION}, ${describeTarget(ctx.target)}`,
  );
  const project = readProject(ctx.app);
  // Before anything is installed (or a previous venv reused), naming the files and what to change.
  const unmet = unmetRequirements(tools.appVersion, project.python);
  if (unmet.length) throw errors.pythonOutsideConstraint(tools.appVersion, tools.appPython, unmet);
  // pipenv loads .env by itself when present.
  ctx.appReads.record(".env");
  if (project.localPackages.length)
    ctx.appReads.dependsOnWholeApp(
      `Pipfile.lock installs ${project.localPackages.join(", ")} from app paths`,
    );
  const categories = readCategories(ctx.env);
  log.step(
    `${LOCK}: ${project.packages} packages in [packages]; installing ${categories.join(", ")}` +
      (ctx.env[CATEGORIES_ENV]?.trim() ? ` (${CATEGORIES_ENV})` : ""),
  );

  const toolKey = pipenvToolKey(ctx, tools.version);
  const cacheKey = pipCacheKey(tools, ctx.target);
  const key = venvKey(project, categories, tools, PIPENV_VERSION, ctx.target);
  const venv = ctx.layers.get("venv");
  if (venv.restoreProblem) log.warning("Ignoring unreadable venv metadata", venv.restoreProblem);
  // A Django app's venv stays on disk for ml-buildpacks/django's collectstatic (src/pybuild/venv-at-build.ts).
  const atBuild = venvNeededAtBuild(ctx.app);
  const decision = requireVenvOnDisk(decideVenv(key, venv), venv, atBuild);

  if (decision.action === "reuse") {
    log.step(`Reusing virtual environment (${LOCK} and Pipfile unchanged)`);
    // Rewriting only venv.toml (no <layers>/venv dir) makes the exporter keep the previous image's layer.
    venv.write(key, venvFlags(atBuild));
    keepPipenv(ctx, toolKey);
    keepPipCache(ctx, cacheKey);
    return;
  }
  if (decision.action === "rebuild") {
    log.step("Discarding the virtual environment from the previous image:");
    log.detail(decision.reasons);
  }

  const pipenv = await ensurePipenv(ctx, tools, toolKey);
  const cache = preparePipCache(ctx, cacheKey);
  const env = pipenvEnv(ctx, venv.path, cache.path);
  await verifyLock(ctx, pipenv, project, env);
  venv.reset();
  await createVenv(ctx, venv, tools);
  await syncLock(ctx, pipenv, tools, categories, env);
  // pipenv's pip compiled mtime-based .pyc; finishVenv replaces them with hash-based ones.
  await finishVenv(ctx, venv.path);
  log.step(`Installed: ${await installedPackages(ctx, venv)}`);
  writeVenvEnv(venv);
  venv.write(key, venvFlags(atBuild));
  savePipCache(cache, cacheKey);
}
