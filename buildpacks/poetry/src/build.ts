import { type BuildContext, describeTarget } from "../../../src/libcnb/index.js";
import { finishVenv } from "../../../src/pybuild/finish-venv.js";
import { keepPipCache, pipCacheKey, preparePipCache, savePipCache } from "../../../src/pybuild/pip-cache.js";
import { unmetRequirements } from "../../../src/pybuild/python-constraint.js";
import { probePython, selectedPython } from "../../../src/pybuild/stack-python.js";
import { requireVenvOnDisk, venvFlags, venvNeededAtBuild } from "../../../src/pybuild/venv-at-build.js";
import { LOCK } from "./detect.js";
import * as errors from "./errors.js";
import { ensurePoetry, keepPoetry, POETRY_VERSION, poetryToolKey } from "./layers/poetry.js";
import { checkLock, createVenv, decideVenv, installLock, venvKey, writeVenvEnv } from "./layers/venv.js";
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

  const toolKey = poetryToolKey(ctx, tools.version);
  const cacheKey = pipCacheKey(tools, ctx.target);
  const key = venvKey(project, groups, tools, POETRY_VERSION, ctx.target);
  const venv = ctx.layers.get("venv");
  if (venv.restoreProblem) log.warning("Ignoring unreadable venv metadata", venv.restoreProblem);
  // A Django app's venv stays on disk for ml-buildpacks/django's collectstatic (src/pybuild/venv-at-build.ts).
  const atBuild = venvNeededAtBuild(ctx.app);
  const decision = requireVenvOnDisk(decideVenv(key, venv), venv, atBuild);

  if (decision.action === "reuse") {
    log.step(`Reusing virtual environment (${LOCK} and pyproject.toml unchanged)`);
    // Rewriting only venv.toml (no <layers>/venv dir) makes the exporter keep the previous image's layer.
    venv.write(key, venvFlags(atBuild));
    keepPoetry(ctx, toolKey);
    keepPipCache(ctx, cacheKey);
    return;
  }
  if (decision.action === "rebuild") {
    log.step("Discarding the virtual environment from the previous image:");
    log.detail(decision.reasons);
  }

  const poetry = await ensurePoetry(ctx, tools, toolKey);
  await checkLock(ctx, poetry);
  venv.reset();
  const cache = preparePipCache(ctx, cacheKey);
  await createVenv(ctx, venv, tools);
  await installLock(ctx, poetry, venv, tools, groups, cache.path);
  await finishVenv(ctx, venv.path);
  writeVenvEnv(venv);
  venv.write(key, venvFlags(atBuild));
  savePipCache(cache, cacheKey);
}
