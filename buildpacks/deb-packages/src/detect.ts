import { type DetectContext, type DetectResult, pass } from "#libcnb";

export const APTFILE = "Aptfile";

/**
 * Plan entry other buildpacks require to get Debian packages installed (see README and requests.ts):
 *   [[requires]] name = "deb-packages"
 *   [requires.metadata] packages = [...], requested_by = "...", [[requires.metadata.sources]] ...
 */
export const PLAN_ENTRY = "deb-packages";

export function detect(ctx: DetectContext): DetectResult {
  if (ctx.app.isFile(APTFILE)) {
    // Provide and require the entry: the buildpack stands on its own for the Aptfile, and later
    // buildpacks in the group may add their own requirements of it.
    return pass({ provides: [{ name: PLAN_ENTRY }], requires: [{ name: PLAN_ENTRY }] });
  }
  // No Aptfile: only provide. The plan resolves (and this buildpack runs) only if a later buildpack in
  // the group requires "deb-packages" (e.g. ml-buildpacks/hardware for coral); otherwise the lifecycle
  // drops this optional buildpack from the group.
  return pass({ provides: [{ name: PLAN_ENTRY }] });
}
