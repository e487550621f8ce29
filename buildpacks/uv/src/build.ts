import { type BuildContext, describeTarget } from "#libcnb";
import { finishVenv } from "#pybuild/finish-venv";
import { createVenv, openVenv } from "#pybuild/launch-venv";
import { unmetRequirements } from "#pybuild/python-constraint";
import { pythonVersion, selectedPython } from "#pybuild/stack-python";
import { LOCK } from "./detect.js";
import * as errors from "./errors.js";
import { ensureUv, keepUv, uvToolKey } from "./layers/uv.js";
import { keepUvCache, prepareUvCache, saveUvCache, uvCacheKey } from "./layers/uv-cache.js";
import { uvEnv, uvSync, VENV_DESCRIBERS, venvKey } from "./layers/venv.js";
import { GROUPS_ENV, readGroups, readProject } from "./project.js";
import { UV_VERSION } from "./uv-wheels.js";

export async function build(ctx: BuildContext): Promise<void> {
  const log = ctx.logger;
  log.header(`Installing dependencies from ${LOCK}`);
  const interpreter = selectedPython(ctx.env);
  const python = await pythonVersion("uv", ctx.exec, interpreter);
  log.step(`Python ${python} (${interpreter}), uv ${UV_VERSION}, ${describeTarget(ctx.target)}`);
  const project = readProject(ctx.app);
  // Before anything is installed (or a previous venv reused), naming the files and what to change.
  const unmet = unmetRequirements(python, project.python);
  if (unmet.length) throw errors.pythonOutsideConstraint(python, interpreter, unmet);
  // uv reads these by itself when present (its settings, the pinned interpreter request).
  for (const file of ["uv.toml", ".python-version"]) ctx.appReads.record(file);
  if (project.localPackages.length)
    ctx.appReads.dependsOnWholeApp(`uv.lock builds ${project.localPackages.join(", ")} from app folders`);
  const groups = readGroups(ctx.env);
  log.step(
    `${LOCK}: ${project.packages} packages; installing the project's dependencies` +
      (groups.length ? ` and the groups ${groups.join(", ")} (${GROUPS_ENV})` : " (no dependency groups)"),
  );

  const toolKey = uvToolKey(python, ctx.target);
  const cacheKey = uvCacheKey(UV_VERSION, python, ctx.target);
  const key = venvKey(project, groups, python, UV_VERSION, ctx.target);
  const launch = openVenv(ctx, key, VENV_DESCRIBERS, `${LOCK} and pyproject.toml unchanged`);
  if (launch.reused) {
    keepUv(ctx, toolKey);
    keepUvCache(ctx, cacheKey);
    return;
  }
  const venv = launch.layer;

  const uv = await ensureUv(ctx, toolKey);
  venv.reset();
  const cache = prepareUvCache(ctx, cacheKey);
  await createVenv(ctx, venv, interpreter);
  await uvSync(ctx, uv, venv, cache.path, groups, interpreter, python);
  // uv installs no bytecode; hash-based .pyc spare every container compiling at import.
  await finishVenv(ctx, venv.path);
  launch.save();
  // Drop what is cheap to download again (unpacked wheels), keep wheels built from source.
  await ctx.exec(uv, ["cache", "prune", "--ci", "--quiet"], {
    env: uvEnv(ctx.env, venv, cache.path, interpreter),
  });
  saveUvCache(cache, cacheKey);
}
