// A Python tool (Poetry, Pipenv) in its own virtual environment in a build-only, cached layer,
// installed by the stack's pip from the buildpack's hash-pinned requirements (no resolution, no
// unpinned download). The buildpack owns the layer key; this owns install, reuse and the checks.
import { join } from "node:path";
import { type BuildContext, type Describers, decideReuse, formatCommand } from "../libcnb/index.js";
import * as errors from "./errors.js";
import type { PythonTools } from "./stack-python.js";

export interface PinnedTool {
  /** Shown in the log and errors, e.g. "Poetry". */
  name: string;
  /** Layer name, e.g. "poetry". */
  layer: string;
  /** Executable in the layer's bin/. */
  executable: string;
  /** The pinned version; `<executable> <versionArgs>` must print it. */
  version: string;
  versionArgs: string[];
  /** Env for every run of the tool. */
  env: Record<string, string | undefined>;
}

/** bin/tool-requirements.txt: kept in bin/ because builder create copies only buildpack.toml and bin/. */
export function toolRequirements(buildpackDir: string): string {
  return join(buildpackDir, "bin", "tool-requirements.txt");
}

/** Returns the tool's executable: the cached layer when its key matches, otherwise a fresh install. */
export async function ensurePinnedTool<K extends Record<string, string | number>>(
  ctx: BuildContext,
  tools: Pick<PythonTools, "python">,
  tool: PinnedTool,
  key: K,
  describers: Describers<K>,
): Promise<string> {
  const layer = ctx.layers.get(tool.layer);
  const bin = join(layer.path, "bin", tool.executable);
  const decision = decideReuse(key, layer.restored, describers);
  if (decision.action === "reuse" && layer.hasContents()) {
    ctx.logger.step(`Using cached ${tool.name} ${tool.version}`);
    layer.write(key, { cache: true });
    return bin;
  }
  if (decision.action === "rebuild") {
    ctx.logger.step(`Discarding the cached ${tool.name}:`);
    ctx.logger.detail(decision.reasons);
  }
  layer.reset();
  await ctx.logger.timed(`Installing ${tool.name} ${tool.version} (hash-pinned)`, async () => {
    const venv = ["-m", "venv", "--without-pip", layer.path];
    const v = await ctx.exec(tools.python, venv);
    if (v.code !== 0) throw errors.venvFailed(formatCommand(tools.python, venv), v.code, v.output);
    const args = [
      "-m",
      "pip",
      "--python",
      join(layer.path, "bin", "python"),
      "install",
      "--require-hashes",
      "--no-deps",
      "--only-binary",
      ":all:",
      "--no-cache-dir",
      "--no-input",
      "--progress-bar",
      "off",
      "--disable-pip-version-check",
      "--requirement",
      toolRequirements(ctx.buildpack.dir),
    ];
    const r = await ctx.exec(tools.python, args, {
      env: { PIP_USER: undefined, PIP_REQUIRE_VIRTUALENV: undefined },
    });
    if (r.code !== 0)
      throw errors.toolInstallFailed(tool.name, formatCommand(tools.python, args), r.code, r.output);
  });
  const v = await ctx.exec(bin, tool.versionArgs, { env: tool.env });
  if (v.code !== 0 || !v.stdout.includes(tool.version))
    throw errors.toolInstallFailed(tool.name, `${bin} ${tool.versionArgs.join(" ")}`, v.code, v.output);
  layer.write(key, { cache: true });
  return bin;
}

/** When the venv is reused the tool doesn't run: keep a restored, still valid layer in the cache. */
export function keepPinnedTool<K extends Record<string, string | number>>(
  ctx: BuildContext,
  tool: Pick<PinnedTool, "layer">,
  key: K,
  describers: Describers<K>,
): void {
  const layer = ctx.layers.get(tool.layer);
  if (layer.hasContents() && decideReuse(key, layer.restored, describers).action === "reuse")
    layer.write(key, { cache: true });
}
