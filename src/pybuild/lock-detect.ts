// Detection of the lock-file installers (uv, Poetry, Pipenv): the lock decides, the manifest
// next to it is checked by build, which can name what is missing.
import { type DetectContext, type DetectResult, fail, pass } from "../libcnb/index.js";

/**
 * Passes on the lock file. Its manifest is required too, but its absence is reported by build with a
 * clear error rather than silently falling through to a group that would ignore the lock.
 */
export function detectLock(ctx: DetectContext, lock: string): DetectResult {
  if (!ctx.app.isFile(lock)) return fail(`looked for ${lock} in the app: none found`);
  // Python itself comes from a provider of "python" earlier in the group (ml-buildpacks/python).
  return pass({ requires: [{ name: "python" }] });
}
