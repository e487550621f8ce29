import { type BuildContext, describeTarget } from "#libcnb";
import { finishVenv } from "#pybuild/finish-venv";
import { createVenv, openVenv } from "#pybuild/launch-venv";
import { ensurePinnedTool, keepPinnedTool, pinnedToolKey } from "#pybuild/pinned-tool";
import { keepPipCache, pipCacheKey, preparePipCache, savePipCache } from "#pybuild/pip-cache";
import { unmetRequirements } from "#pybuild/python-constraint";
import { probePython, selectedPython } from "#pybuild/stack-python";
import { LOCK } from "./detect.js";
import * as errors from "./errors.js";
import { POETRY, POETRY_VERSION } from "./layers/poetry.js";
import { checkLock, installLock, VENV_DESCRIBERS, venvKey } from "./layers/venv.js";
import { GROUPS_ENV, readGroups, readProject } from "./project.js";

export async function build(ctx: BuildContext): Promise<void> {
  const log = ctx.logger;
  log.header(`Installing dependencies from ${LOCK}`);
  const tools = await probePython("poetry", ctx.exec, selectedPython(ctx.env));
  log.step(
    `Python ${tools.appVersion} (${tools.appPython}), Poetry ${POETRY_VERSION}, pip ${tools.pipVersion}, ${describeTarget(ctx.target)}`,
  );
  const project = readProject(ctx.app);
  // Before anything is installed (or a previous venv reused): pip would silently skip every package
  // whose marker excludes this Python, and the image would fail at import.
  const unmet = unmetRequirements(tools.appVersion, project.python);
  if (unmet.length) throw errors.pythonOutsideConstraint(tools.appVersion, tools.appPython, unmet);
  // Poetry reads its project-local settings by itself when present.
  ctx.appReads.record("poetry.toml");
  const groups = readGroups(ctx.env);
  log.step(
    `${LOCK} (lock format ${project.lockVersion}): ${project.packages} packages; installing the groups ` +
      `${groups.join(", ")}${ctx.env[GROUPS_ENV]?.trim() ? ` (${GROUPS_ENV})` : ""}`,
  );

  const toolKey = pinnedToolKey(ctx, POETRY, tools.version);
  const cacheKey = pipCacheKey(tools, ctx.target);
  const key = venvKey(project, groups, tools, POETRY_VERSION, ctx.target);
  const launch = openVenv(ctx, key, VENV_DESCRIBERS, `${LOCK} and pyproject.toml unchanged`);
  if (launch.reused) {
    keepPinnedTool(ctx, POETRY, toolKey);
    keepPipCache(ctx, cacheKey);
    return;
  }
  const venv = launch.layer;

  const poetry = await ensurePinnedTool(ctx, tools, POETRY, toolKey);
  await checkLock(ctx, poetry);
  venv.reset();
  const cache = preparePipCache(ctx, cacheKey);
  await createVenv(ctx, venv, tools.appPython);
  await installLock(ctx, poetry, venv, tools, groups, cache.path);
  await finishVenv(ctx, venv.path);
  launch.save();
  savePipCache(cache, cacheKey);
}
