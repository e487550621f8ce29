import { type BuildContext, describeTarget } from "../../../src/libcnb/index.js";
import { finishVenv } from "../../../src/pybuild/finish-venv.js";
import { unmetRequirements } from "../../../src/pybuild/python-constraint.js";
import { pythonVersion, selectedPython } from "../../../src/pybuild/stack-python.js";
import { requireVenvOnDisk, venvFlags, venvNeededAtBuild } from "../../../src/pybuild/venv-at-build.js";
import { LOCK } from "./detect.js";
import * as errors from "./errors.js";
import { ensureUv, keepUv, uvToolKey } from "./layers/uv.js";
import { keepUvCache, prepareUvCache, saveUvCache, uvCacheKey } from "./layers/uv-cache.js";
import { createVenv, decideVenv, uvEnv, uvSync, venvKey, writeVenvEnv } from "./layers/venv.js";
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
  const venv = ctx.layers.get("venv");
  if (venv.restoreProblem) log.warning("Ignoring unreadable venv metadata", venv.restoreProblem);
  // A Django app's venv stays on disk for ml-buildpacks/django's collectstatic (src/pybuild/venv-at-build.ts).
  const atBuild = venvNeededAtBuild(ctx.app);
  const decision = requireVenvOnDisk(decideVenv(key, venv), venv, atBuild);

  if (decision.action === "reuse") {
    log.step(`Reusing virtual environment (${LOCK} and pyproject.toml unchanged)`);
    // Rewriting only venv.toml (no <layers>/venv dir) makes the exporter keep the previous image's layer.
    venv.write(key, venvFlags(atBuild));
    keepUv(ctx, toolKey);
    keepUvCache(ctx, cacheKey);
    return;
  }
  if (decision.action === "rebuild") {
    log.step("Discarding the virtual environment from the previous image:");
    log.detail(decision.reasons);
  }

  const uv = await ensureUv(ctx, toolKey);
  venv.reset();
  const cache = prepareUvCache(ctx, cacheKey);
  await createVenv(ctx, venv, interpreter);
  await uvSync(ctx, uv, venv, cache.path, groups, interpreter, python);
  // uv installs no bytecode; hash-based .pyc spare every container compiling at import.
  await finishVenv(ctx, venv.path);
  writeVenvEnv(venv);
  venv.write(key, venvFlags(atBuild));
  // Drop what is cheap to download again (unpacked wheels), keep wheels built from source.
  await ctx.exec(uv, ["cache", "prune", "--ci", "--quiet"], {
    env: uvEnv(ctx.env, venv, cache.path, interpreter),
  });
  saveUvCache(cache, cacheKey);
}
