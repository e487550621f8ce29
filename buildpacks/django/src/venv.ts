// The app's virtual environment, as the installer earlier in the group left it in its layers dir
// (<layers>/<installer id>/venv). Installers keep a Django app's venv on disk even when they reuse it
// (src/pybuild/venv-at-build.ts); a venv layer whose toml is there without its folder is one that is
// only in the previous image.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

export type VenvLookup =
  | { kind: "found"; dir: string; python: string; installer: string }
  | { kind: "not-on-disk"; installer: string }
  | { kind: "none" };

/** "ml-buildpacks_pip" (a layers dir name) -> "ml-buildpacks/pip". */
function buildpackId(dirName: string): string {
  return dirName.replace("_", "/");
}

/** Looks through every buildpack's layers dir under `layersRoot` (the parent of CNB_LAYERS_DIR). */
export function findVenv(layersRoot: string): VenvLookup {
  const dirs = readdirSync(layersRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const name of dirs) {
    const dir = join(layersRoot, name, "venv");
    const python = join(dir, "bin", "python");
    if (existsSync(join(dir, "pyvenv.cfg")) && existsSync(python)) {
      return { kind: "found", dir, python, installer: buildpackId(name) };
    }
  }
  const stale = dirs.find((name) => existsSync(join(layersRoot, name, "venv.toml")));
  return stale ? { kind: "not-on-disk", installer: buildpackId(stale) } : { kind: "none" };
}
