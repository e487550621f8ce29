// The installers' "venv" layer: a virtual environment with the app's dependencies, exported into
// the image. Launch-only (launch=true, build=false, cache=false), kept or rebuilt as a whole
// (launch-layer.ts); a Django app's venv also stays in the cache, on disk for ml-buildpacks/django's
// collectstatic (venv-at-build.ts).
import {
  type BuildContext,
  type Describers,
  decideReuse,
  formatCommand,
  type Layer,
  type MetadataScalar,
  type ReuseDecision,
} from "../libcnb/index.js";
import * as errors from "./errors.js";
import { keepOrDiscard } from "./launch-layer.js";
import { requireVenvOnDisk, venvFlags, venvNeededAtBuild } from "./venv-at-build.js";
import { writeVenvSbom } from "./venv-sbom.js";

export type VenvKey = Record<string, MetadataScalar>;

export interface LaunchVenv {
  layer: Layer;
  /** The previous image's venv is kept (its venv.toml is rewritten): nothing is to be installed. */
  reused: boolean;
  /** After the venv is built: activates it at launch and writes its key and flags. */
  save(): void;
}

export interface VenvOptions {
  /**
   * Why the venv is rebuilt even when its key matches: it holds app files whose content the key
   * doesn't cover (pip's `pip install .`, local paths in requirements.txt). Empty: the key decides.
   */
  alwaysRebuild?: string[];
  /** Launch env defaults beside VIRTUAL_ENV and PYTHONUNBUFFERED. */
  launchDefaults?: Record<string, string>;
}

export function decideVenv<K extends VenvKey>(
  key: K,
  layer: Pick<Layer, "restored">,
  describers: Describers<K>,
  alwaysRebuild: readonly string[] = [],
): ReuseDecision {
  const decision = decideReuse(key, layer.restored, describers);
  if (decision.action !== "reuse" || alwaysRebuild.length === 0) return decision;
  return { action: "rebuild", reasons: [...alwaysRebuild] };
}

/** Decides, and logs, whether the previous venv is kept; `unchanged` says what kept it. */
export function openVenv<K extends VenvKey>(
  ctx: BuildContext,
  key: K,
  describers: Describers<K>,
  unchanged: string,
  options: VenvOptions = {},
): LaunchVenv {
  const log = ctx.logger;
  const layer = ctx.layers.get("venv");
  if (layer.restoreProblem) log.warning("Ignoring unreadable venv metadata", layer.restoreProblem);
  const atBuild = venvNeededAtBuild(ctx.app);
  const decided = decideVenv(key, layer, describers, options.alwaysRebuild);
  const decision = requireVenvOnDisk(decided, layer, atBuild);
  const save = () => {
    writeVenvEnv(layer, options.launchDefaults ?? {});
    writeVenvSbom(ctx, layer);
    layer.write(key, venvFlags(atBuild));
  };
  const reused = keepOrDiscard(log, layer, key, decision, venvFlags(atBuild), {
    reusing: `Reusing virtual environment (${unchanged})`,
    what: "the virtual environment",
  });
  return { layer, reused, save };
}

export interface CreateVenvOptions {
  /** Seed the venv with pip from ensurepip (for an installer that needs a pip inside it). */
  withPip?: boolean;
  env?: Record<string, string | undefined>;
}

/** A venv from the build's interpreter; empty unless `withPip` (the installer fills it). */
export async function createVenv(
  ctx: BuildContext,
  layer: Layer,
  python: string,
  o: CreateVenvOptions = {},
): Promise<void> {
  const args = ["-m", "venv", ...(o.withPip ? [] : ["--without-pip"]), layer.path];
  await ctx.logger.timed("Creating virtual environment", async () => {
    const r = await ctx.exec(python, args, { cwd: ctx.appDir, env: o.env });
    if (r.code !== 0) throw errors.venvFailed(formatCommand(python, args), r.code, r.output);
  });
}

/** Launch env of the venv: activate it (its bin/ is put on PATH by the lifecycle). */
function writeVenvEnv(layer: Layer, defaults: Record<string, string>): void {
  layer.env.launch.override("VIRTUAL_ENV", layer.path);
  layer.env.launch.default("PYTHONUNBUFFERED", "1");
  for (const [name, value] of Object.entries(defaults)) layer.env.launch.default(name, value);
}
