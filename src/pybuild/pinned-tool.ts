// A Python tool (Poetry, Pipenv) in its own virtual environment in a build-only, cached layer,
// installed by the stack's pip from the buildpack's hash-pinned requirements (no resolution, no
// unpinned download), keyed by the tool's version and requirements, Python, arch and distro.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type BuildContext,
  type Describers,
  decideReuse,
  fileChanged,
  formatCommand,
  versionChanged,
} from "../libcnb/index.js";
import * as errors from "./errors.js";
import { archOf } from "./keys.js";
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
  /** Bumped when the layer's content changes format. */
  layerVersion: number;
}

/** The tool layer's key: a change of any part reinstalls the tool. */
export type PinnedToolKey = {
  layer_version: number;
  tool_version: string;
  requirements_sha256: string;
  python_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

export function pinnedToolKey(
  ctx: Pick<BuildContext, "buildpack" | "target">,
  tool: PinnedTool,
  pythonVersion: string,
): PinnedToolKey {
  return {
    layer_version: tool.layerVersion,
    tool_version: tool.version,
    requirements_sha256: createHash("sha256")
      .update(readFileSync(toolRequirements(ctx.buildpack.dir)))
      .digest("hex"),
    python_version: pythonVersion,
    arch: archOf(ctx.target),
    distro_name: ctx.target.distroName,
    distro_version: ctx.target.distroVersion,
  };
}

function describers(tool: PinnedTool): Describers<PinnedToolKey> {
  return {
    layer_version: versionChanged(`${tool.layer} layer format`),
    tool_version: versionChanged(tool.name),
    requirements_sha256: fileChanged("the buildpack's tool-requirements.txt"),
    python_version: versionChanged("Python"),
    arch: versionChanged("architecture"),
    distro_name: versionChanged("distribution"),
    distro_version: versionChanged("distribution version"),
  };
}

/** bin/tool-requirements.txt: kept in bin/ because builder create copies only buildpack.toml and bin/. */
export function toolRequirements(buildpackDir: string): string {
  return join(buildpackDir, "bin", "tool-requirements.txt");
}

/** Returns the tool's executable: the cached layer when its key matches, otherwise a fresh install. */
export async function ensurePinnedTool(
  ctx: BuildContext,
  tools: Pick<PythonTools, "python">,
  tool: PinnedTool,
  key: PinnedToolKey,
): Promise<string> {
  const layer = ctx.layers.get(tool.layer);
  const bin = join(layer.path, "bin", tool.executable);
  const decision = decideReuse(key, layer.restored, describers(tool));
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
export function keepPinnedTool(ctx: BuildContext, tool: PinnedTool, key: PinnedToolKey): void {
  const layer = ctx.layers.get(tool.layer);
  if (layer.hasContents() && decideReuse(key, layer.restored, describers(tool)).action === "reuse")
    layer.write(key, { cache: true });
}
