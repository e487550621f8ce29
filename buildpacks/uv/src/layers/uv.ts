// The "uv" layer: the uv binary, from its PyPI wheel pinned by sha256 for the target architecture.
// Build-only tool (launch=false, build=false: this buildpack runs it by path) kept in the build cache
// (cache=true), keyed by uv version, wheel sha256, Python, arch and distro.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  type BuildContext,
  type Describers,
  decideReuse,
  formatCommand,
  type Layer,
  versionChanged,
} from "#libcnb";
import { archOf, TARGET_DESCRIBERS, targetKey } from "#pybuild/keys";
import { STACK_PYTHON } from "#pybuild/stack-python";
import * as errors from "../errors.js";
import { UV_VERSION, UV_WHEELS, type UvWheel } from "../uv-wheels.js";

export const UV_LAYER_VERSION = 1;

export type UvToolKey = {
  layer_version: number;
  uv_version: string;
  wheel_sha256: string;
  python_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

const DESCRIBERS: Describers<UvToolKey> = {
  layer_version: versionChanged("uv layer format"),
  uv_version: versionChanged("uv"),
  wheel_sha256: versionChanged("uv wheel sha256"),
  python_version: versionChanged("Python"),
  ...TARGET_DESCRIBERS,
};

export function wheelFor(arch: string): UvWheel {
  const wheel = UV_WHEELS[arch];
  if (!wheel) throw errors.unsupportedArch(arch, Object.keys(UV_WHEELS));
  return wheel;
}

export function uvToolKey(pythonVersion: string, target: BuildContext["target"]): UvToolKey {
  return {
    layer_version: UV_LAYER_VERSION,
    uv_version: UV_VERSION,
    wheel_sha256: wheelFor(target.arch).sha256,
    python_version: pythonVersion,
    ...targetKey(target),
  };
}

export function uvBinary(layer: Layer): string {
  return join(layer.path, "bin", "uv");
}

// Extracts <name>.data/scripts/uv from the wheel (a zip) with the stack's Python: no unzip needed.
const EXTRACT = [
  "import os, sys, zipfile",
  "whl, dest = sys.argv[1], sys.argv[2]",
  "with zipfile.ZipFile(whl) as z:",
  "    names = [n for n in z.namelist() if n.endswith('.data/scripts/uv')]",
  "    if len(names) != 1: sys.exit(f'expected one uv binary in {whl}, found {names}')",
  "    with open(dest, 'wb') as f: f.write(z.read(names[0]))",
  "os.chmod(dest, 0o755)",
].join("\n");

/** Returns the uv binary: the cached layer when its key matches, otherwise a fresh download. */
export async function ensureUv(ctx: BuildContext, key: UvToolKey): Promise<string> {
  const layer = ctx.layers.get("uv");
  const decision = decideReuse(key, layer.restored, DESCRIBERS);
  if (decision.action === "reuse" && layer.hasContents()) {
    ctx.logger.step(`Using cached uv ${key.uv_version}`);
    layer.write(key, { cache: true });
    return uvBinary(layer);
  }
  if (decision.action === "rebuild") {
    ctx.logger.step("Discarding the cached uv:");
    ctx.logger.detail(decision.reasons);
  }
  layer.reset();
  const wheel = wheelFor(ctx.target.arch);
  const whl = join(layer.path, "uv.whl");
  const bin = uvBinary(layer);
  await ctx.logger.timed(
    `Downloading uv ${key.uv_version} (${archOf(ctx.target)} wheel, sha256-pinned)`,
    async () => {
      const curl = ["--fail", "--silent", "--show-error", "--location", "--proto", "=https", "--retry", "3"];
      const r = await ctx.exec("curl", [...curl, "--output", whl, wheel.url]);
      if (r.code !== 0) throw errors.uvDownloadFailed(wheel.url, r.code, r.output);
      const actual = createHash("sha256").update(readFileSync(whl)).digest("hex");
      if (actual !== wheel.sha256) throw errors.uvChecksumMismatch(wheel.url, wheel.sha256, actual);
      const args = ["-I", "-c", EXTRACT, whl, bin];
      mkdirSync(join(layer.path, "bin"), { recursive: true });
      const e = await ctx.exec(STACK_PYTHON, args);
      if (e.code !== 0)
        throw errors.uvBroken(formatCommand(STACK_PYTHON, ["-c", "<extract uv>"]), e.code, e.output);
      rmSync(whl, { force: true });
    },
  );
  const v = await ctx.exec(bin, ["--version"]);
  if (v.code !== 0 || !v.stdout.includes(key.uv_version))
    throw errors.uvBroken(`${bin} --version`, v.code, v.output);
  layer.write(key, { cache: true });
  return bin;
}

/** When the venv is reused uv doesn't run: keep a restored, still valid uv layer in the cache. */
export function keepUv(ctx: BuildContext, key: UvToolKey): void {
  const layer = ctx.layers.get("uv");
  if (layer.hasContents() && decideReuse(key, layer.restored, DESCRIBERS).action === "reuse")
    layer.write(key, { cache: true });
}
