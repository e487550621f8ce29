import { join } from "node:path";
import { type BuildContext, describeTarget } from "#libcnb";
import { keepOrDiscard } from "#pybuild/launch-layer";
import { ensurePinnedTool, keepPinnedTool, pinnedToolKey } from "#pybuild/pinned-tool";
import { probePython } from "#pybuild/stack-python";
import { condaSubdir, driverChannels } from "./channels.js";
import { type DriverRequest, runDriver } from "./driver.js";
import { condaCacheKey, prepareCondaCache, saveCondaCache } from "./layers/conda-cache.js";
import { decideEnv, envKey, prefixOf, writeEnvEnv } from "./layers/env.js";
import { RATTLER, RATTLER_VERSION } from "./layers/rattler.js";
import { installPipSection, localPipRequirements } from "./pip-section.js";
import { writeCondaSbom } from "./sbom.js";
import { readSource } from "./source.js";

export async function build(ctx: BuildContext): Promise<void> {
  const log = ctx.logger;
  const subdir = condaSubdir(ctx.target.arch);
  const source = readSource(ctx.app, subdir);
  const local = source.kind === "environment" ? localPipRequirements(source.pip) : [];
  if (local.length)
    ctx.appReads.dependsOnWholeApp(`${source.file}'s pip section installs ${local.join(", ")}`);
  log.header(`Installing the conda environment from ${source.file}`);
  // py-rattler runs on the stack's Python; the environment brings its own interpreter.
  const tools = await probePython("conda", ctx.exec);
  log.step(
    `py-rattler ${RATTLER_VERSION} on Python ${tools.version}, ${describeTarget(ctx.target)} (conda ${subdir})`,
  );

  // Credentials (build secrets) stay out of every URL logged, kept in metadata or recorded by rattler.
  const { channels, explicit, auth } = driverChannels(source, ctx.env);
  if (source.kind === "environment") {
    const pip = source.pip.length ? ` and ${source.pip.length} pip requirements` : "";
    log.step(`${source.file}: ${source.specs.length} dependencies${pip}; channels ${channels.join(", ")}`);
  } else {
    log.step(`${source.file}: ${source.packages.length} packages, installed exactly as locked (no solving)`);
  }

  const toolKey = pinnedToolKey(ctx, RATTLER, tools.version);
  const rattler = await ensurePinnedTool(ctx, tools, RATTLER, toolKey);
  const cacheKey = condaCacheKey(RATTLER_VERSION, ctx.target);
  const cache = prepareCondaCache(ctx, cacheKey);
  const env = ctx.layers.get("env");
  if (env.restoreProblem) log.warning("Ignoring unreadable env metadata", env.restoreProblem);

  const request: DriverRequest = {
    channels,
    specs: source.kind === "environment" ? source.specs : [],
    platform: subdir,
    cache_dir: cache.path,
    prefix: prefixOf(env),
    explicit,
  };
  const resolved = await log.timed(
    source.kind === "environment"
      ? "Solving the environment (rattler)"
      : "Downloading and verifying the locked packages",
    () => runDriver(ctx, rattler, "resolve", request, source.file, auth),
  );
  log.step(`${resolved.packages.length} packages:`);
  log.detail(resolved.packages.map((p) => `${p.name} ${p.version} (${p.build}, ${p.subdir})`));
  if (!resolved.packages.some((p) => p.name === "python"))
    log.warning(
      "The environment has no python",
      `${source.file} does not install the conda python package, so \`python\` at launch is the run image's.\n` +
        "Add `- python=3.x` to dependencies if the app is a Python app.",
    );

  const key = envKey(source, channels, resolved.packages, RATTLER_VERSION, ctx.target);
  const reused = keepOrDiscard(
    log,
    env,
    key,
    decideEnv(key, env),
    { launch: true },
    {
      reusing: `Reusing the conda environment (${source.file} and the resolved packages unchanged)`,
      what: "the conda environment",
    },
  );
  if (reused) {
    keepPinnedTool(ctx, RATTLER, toolKey);
    saveCondaCache(cache, cacheKey);
    return;
  }
  env.reset();
  await log.timed(`Installing ${resolved.packages.length} packages into ${prefixOf(env)}`, () =>
    runDriver(ctx, rattler, "install", { ...request, expect: resolved.digest }, source.file, auth),
  );
  if (source.kind === "environment" && source.pip.length)
    await installPipSection(
      ctx,
      prefixOf(env),
      source.pip,
      source.file,
      source.pipLine ?? 1,
      join(cache.path, "pip"),
    );
  writeEnvEnv(env, source.kind === "environment" && source.name ? source.name : "base");
  writeCondaSbom(ctx, env, resolved.packages, prefixOf(env));
  env.write(key, { launch: true });
  saveCondaCache(cache, cacheKey);
}
