import { type DetectContext, type DetectResult, fail, pass } from "../../../src/libcnb/index.js";

export const LOCK = "Pipfile.lock";
export const MANIFEST = "Pipfile";

/**
 * Passes on Pipfile.lock. The Pipfile is required too (the deploy check compares the two), but its
 * absence is reported by build with a clear error rather than by failing detection silently.
 */
export function detect(ctx: DetectContext): DetectResult {
  if (!ctx.app.isFile(LOCK)) return fail(`looked for ${LOCK} in the app: none found`);
  // Python itself comes from a provider of "python" earlier in the group (ml-buildpacks/python).
  return pass({ requires: [{ name: "python" }] });
}
