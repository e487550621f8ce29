import { type DetectContext, type DetectResult, fail, pass } from "../../../src/libcnb/index.js";

export const REQUIREMENTS = "requirements.txt";

export function detect(ctx: DetectContext): DetectResult {
  if (!ctx.app.isFile(REQUIREMENTS)) return fail(`looked for ${REQUIREMENTS} in the app: none found`);
  // Python itself comes from a provider of "python" earlier in the group (ml-buildpacks/python).
  return pass({ requires: [{ name: "python" }] });
}
