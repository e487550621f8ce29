import { type BuildContext, describeTarget } from "../../../src/libcnb/index.js";
import { finishVenv } from "../../../src/pybuild/finish-venv.js";
import { keepPipCache, pipCacheKey, preparePipCache, savePipCache } from "../../../src/pybuild/pip-cache.js";
import { REQUIREMENTS } from "./detect.js";
import { createVenv, decideVenv, installRequirements, venvKey, writeVenvEnv } from "./layers/venv.js";
import { probePython, selectedPython } from "./python.js";
import { fingerprintRequirements } from "./requirements.js";

export async function build(ctx: BuildContext): Promise<void> {
  const log = ctx.logger;
  log.header("Installing requirements");
  const tools = await probePython(ctx.exec, selectedPython(ctx.env));
  const pip = tools.pipMode === "system" ? `pip ${tools.pipVersion}` : "pip from ensurepip";
  log.step(`Python ${tools.version}, ${pip}, ${describeTarget(ctx.target)}`);

  const req = fingerprintRequirements(ctx.app, REQUIREMENTS);
  if (req.included.length) log.step(`${REQUIREMENTS} includes ${req.included.join(", ")}`);
  const local = req.localPaths[0];
  if (local) ctx.appReads.dependsOnWholeApp(`${local.file}:${local.line} installs ${local.spec}`);

  const key = venvKey(req, tools, ctx.target);
  const cacheKey = pipCacheKey({ appVersion: tools.version, pipVersion: tools.pipVersion }, ctx.target);
  const venv = ctx.layers.get("venv");
  if (venv.restoreProblem) log.warning("Ignoring unreadable venv metadata", venv.restoreProblem);
  const decision = decideVenv(key, venv, req);

  if (decision.action === "reuse") {
    log.step(`Reusing virtual environment (${REQUIREMENTS} unchanged)`);
    // Rewriting only venv.toml (no <layers>/venv dir) makes the exporter keep the previous image's layer.
    venv.write(key, { launch: true });
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
  await installRequirements(ctx, venv, tools, REQUIREMENTS, cache.path);
  await finishVenv(ctx, venv.path);
  writeVenvEnv(venv);
  venv.write(key, { launch: true });
  savePipCache(cache, cacheKey);
}
