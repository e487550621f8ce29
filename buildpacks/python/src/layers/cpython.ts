// The "cpython" layer: a relocatable CPython (python-build-standalone's install_only layout,
// python/bin/python3 + python/lib/..., or the same tree at python/install/ in a full archive) unpacked
// into the layer root, used when the app's version constraints pick a build from the manifest.
//
// Flags: build (later buildpacks get bin/ on PATH and create their venvs from it), launch (the run
// image has no such Python: venvs point at /layers/<bp>/cpython/bin/python3, which must exist at run
// time at the same path) and cache (restored with its contents next build, so a rebuild doesn't
// download it again). Keyed by version + arch + the tarball's pinned sha256 (+ distro); a changed key
// discards the layer and the log says why.

import { createHash } from "node:crypto";
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Decompress } from "fzstd";
import {
  type BuildContext,
  type Describers,
  decideReuse,
  type Layer,
  shortSha,
  versionChanged,
} from "#libcnb";
import { compileBytecode } from "#pybuild/bytecode";
import * as errors from "../errors.js";
import { type Build, downloadUrl, isFullArchive } from "../manifest.js";

/** Bump when the layer's layout changes, to discard old layers. */
export const CPYTHON_LAYER_VERSION = 1;
export const CPYTHON_LAYER = "cpython";

export type CpythonKey = {
  layer_version: number;
  python_version: string;
  arch: string;
  sha256: string;
  distro_name: string;
  distro_version: string;
};

const DESCRIBERS: Describers<CpythonKey> = {
  layer_version: versionChanged("cpython layer format"),
  python_version: versionChanged("Python"),
  arch: versionChanged("architecture"),
  sha256: (before, after) => `pinned tarball changed (sha256 ${shortSha(before)} -> ${shortSha(after)})`,
  distro_name: versionChanged("distribution"),
  distro_version: versionChanged("distribution version"),
};

export function cpythonKey(build: Build, target: BuildContext["target"]): CpythonKey {
  return {
    layer_version: CPYTHON_LAYER_VERSION,
    python_version: build.version,
    arch: target.archVariant ? `${target.arch}/${target.archVariant}` : target.arch,
    sha256: build.sha256,
    distro_name: target.distroName,
    distro_version: target.distroVersion,
  };
}

export function interpreterPath(layer: Pick<Layer, "path">): string {
  return join(layer.path, "bin", "python3");
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

const FLAGS = { build: true, launch: true, cache: true } as const;

/** Reuses the cached layer when its key matches, else downloads, verifies and unpacks. Returns the interpreter. */
export async function installCpython(
  ctx: BuildContext,
  build: Build,
  mirror: string,
  pinnedIn: string,
): Promise<string> {
  const log = ctx.logger;
  const layer = ctx.layers.get(CPYTHON_LAYER);
  const key = cpythonKey(build, ctx.target);
  const python = interpreterPath(layer);
  if (layer.restoreProblem) log.warning("Ignoring unreadable cpython layer metadata", layer.restoreProblem);
  const decision = decideReuse(key, layer.restored, DESCRIBERS);
  if (decision.action === "reuse" && layer.hasContents() && existsSync(python)) {
    log.step(`Reusing Python ${build.version} from the build cache (sha256 ${shortSha(build.sha256)})`);
    layer.write(key, FLAGS);
    return python;
  }
  if (decision.action === "rebuild") {
    log.step(`Discarding the cached Python ${String(layer.restored?.python_version ?? "")}:`);
    log.detail(decision.reasons);
  } else if (decision.action === "reuse") {
    log.step("The cached Python's files are missing from the build cache: installing it again");
  }

  const url = downloadUrl(mirror, build);
  const tmp = mkdtempSync(join(tmpdir(), "ml-buildpacks-cpython-"));
  try {
    const tarball = join(tmp, build.file);
    await log.timed(`Downloading ${build.file} from ${mirror}`, async () => {
      const args = ["--fail", "--location", "--silent", "--show-error", "--retry", "3"];
      const r = await ctx.exec("curl", [...args, "--connect-timeout", "30", "--output", tarball, url]);
      if (r.code !== 0) throw errors.downloadFailed(url, r.code, r.output, r.spawnError);
    });
    const actual = await sha256File(tarball);
    if (actual !== build.sha256) throw errors.checksumMismatch(build.file, url, build.sha256, actual);
    log.step(`Verified sha256 ${shortSha(actual)} (pinned in ${pinnedIn})`);

    layer.reset();
    await log.timed(`Unpacking Python ${build.version} into the ${CPYTHON_LAYER} layer`, async () => {
      const r = await ctx.exec("tar", await tarArgs(build, tarball, layer.path));
      if (r.code !== 0) throw errors.unpackFailed(build.file, r.code, r.output);
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!existsSync(python)) throw errors.unexpectedLayout(build.file);
  // python-build-standalone ships bin/python too; make sure `python` resolves to this interpreter.
  const alias = join(layer.path, "bin", "python");
  if (!existsSync(alias)) symlinkSync("python3", alias);

  const r = await ctx.exec(python, ["-I", "-c", "import platform; print(platform.python_version())"]);
  const reported = r.stdout.trim();
  if (r.code !== 0 || reported !== build.version) {
    throw errors.installedPythonBroken(python, build.version, r.code, reported || r.output);
  }
  // The tarball's mtime-based .pyc files would be stale once the lifecycle normalises mtimes (and be
  // rewritten by every later build and app start); its test folders hold files that don't compile.
  await compileBytecode(ctx, python, join(layer.path, "lib", `python${minorOf(build.version)}`), {
    title: "Compiling the standard library's bytecode (unchecked-hash)",
    exclude: "/(test|tests|idle_test)/",
  });
  layer.write(key, FLAGS);
  return python;
}

/**
 * install_only archives (.tar.gz) hold python/{bin,lib,...}; PBS's full archives (.tar.zst, the only
 * builds of 3.10.0) hold the same tree at python/install/. The build image has no zstd program, so a
 * .tar.zst is decompressed here first (synchronous writes: no buffering of the whole archive).
 */
async function tarArgs(build: Build, tarball: string, dest: string): Promise<string[]> {
  const common = ["-C", dest, "--no-same-owner"];
  if (!isFullArchive(build)) return ["-xzf", tarball, ...common, "--strip-components=1"];
  const tar = tarball.replace(/\.zst$/, "");
  const fd = openSync(tar, "w");
  try {
    const zstd = new Decompress((chunk) => {
      writeSync(fd, chunk);
    });
    for await (const chunk of createReadStream(tarball)) zstd.push(chunk as Buffer);
    zstd.push(new Uint8Array(0), true);
  } catch (err) {
    throw errors.unpackFailed(build.file, 1, err instanceof Error ? err.message : String(err));
  } finally {
    closeSync(fd);
  }
  rmSync(tarball);
  return ["-xf", tar, ...common, "--strip-components=2", "python/install"];
}

function minorOf(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}
