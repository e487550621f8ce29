// Django apps need their installer's venv at build time: ml-buildpacks/django runs
// `manage.py collectstatic` with it after the installer. A launch-only venv that an installer reuses
// stays in the previous image and is absent from disk during the build, so for these apps installers
// keep the venv in the build cache too (restored to disk next build) and rebuild it once when the
// previous one was not cached.
import type { AppFiles, Layer, LayerFlags, ReuseDecision } from "../libcnb/index.js";

/** The file that makes ml-buildpacks/django pass detection. */
export const MANAGE_PY = "manage.py";

/** True when a later buildpack runs the app's venv at build time (a Django app). */
export function venvNeededAtBuild(app: AppFiles): boolean {
  return app.isFile(MANAGE_PY);
}

/** Flags of an installer's venv layer. */
export function venvFlags(neededAtBuild: boolean): Partial<LayerFlags> {
  return neededAtBuild ? { launch: true, cache: true } : { launch: true };
}

/** A reuse decision, turned into a rebuild when the venv is needed at build time but not on disk. */
export function requireVenvOnDisk(
  decision: ReuseDecision,
  layer: Pick<Layer, "hasContents">,
  neededAtBuild: boolean,
): ReuseDecision {
  if (decision.action !== "reuse" || !neededAtBuild || layer.hasContents()) return decision;
  return {
    action: "rebuild",
    reasons: [
      `${MANAGE_PY}: Django's collectstatic needs the virtual environment during the build, and the previous one is only in the image`,
    ],
  };
}
