import { type BuildContext, describeTarget } from "#libcnb";
import { finishVenv } from "#pybuild/finish-venv";
import { createVenv, openVenv } from "#pybuild/launch-venv";
import { ensurePinnedTool, keepPinnedTool, pinnedToolKey } from "#pybuild/pinned-tool";
import { keepPipCache, pipCacheKey, preparePipCache, savePipCache } from "#pybuild/pip-cache";
import { unmetRequirements } from "#pybuild/python-constraint";
import { probePython, selectedPython } from "#pybuild/stack-python";
import { LOCK } from "./detect.js";
import * as errors from "./errors.js";
import { PIPENV, PIPENV_VERSION } from "./layers/pipenv.js";
import {
  installedPackages,
  pipenvEnv,
  syncLock,
  VENV_DESCRIBERS,
  venvKey,
  verifyLock,
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

  const toolKey = pinnedToolKey(ctx, PIPENV, tools.version);
  const cacheKey = pipCacheKey(tools, ctx.target);
  const key = venvKey(project, categories, tools, PIPENV_VERSION, ctx.target);
  const launch = openVenv(ctx, key, VENV_DESCRIBERS, `${LOCK} and Pipfile unchanged`);
  if (launch.reused) {
    keepPinnedTool(ctx, PIPENV, toolKey);
    keepPipCache(ctx, cacheKey);
    return;
  }
  const venv = launch.layer;

  const pipenv = await ensurePinnedTool(ctx, tools, PIPENV, toolKey);
  const cache = preparePipCache(ctx, cacheKey);
  const env = pipenvEnv(ctx, venv.path, cache.path);
  await verifyLock(ctx, pipenv, project, env);
  venv.reset();
  await createVenv(ctx, venv, tools.appPython);
  await syncLock(ctx, pipenv, tools, categories, env);
  // pipenv's pip compiled mtime-based .pyc; finishVenv replaces them with hash-based ones.
  await finishVenv(ctx, venv.path);
  log.step(`Installed: ${await installedPackages(ctx, venv)}`);
  launch.save();
  savePipCache(cache, cacheKey);
}
