import { type DetectContext, type DetectResult, fail, pass } from "../../../src/libcnb/index.js";

export const LOCK = "poetry.lock";
export const MANIFEST = "pyproject.toml";

/**
 * Passes on poetry.lock. pyproject.toml is required too, but its absence is reported by build with a
 * clear error rather than silently falling through to a group that would ignore the lock.
 */
export function detect(ctx: DetectContext): DetectResult {
  if (!ctx.app.isFile(LOCK)) return fail(`looked for ${LOCK} in the app: none found`);
  // Python itself comes from a provider of "python" earlier in the group (ml-buildpacks/python).
  return pass({ requires: [{ name: "python" }] });
}
