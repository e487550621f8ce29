import { type DetectContext, type DetectResult, fail, pass } from "#libcnb";
import { requiredTags, TAGS_FILE } from "./tags.js";

export const REQUIRED_ENV = "BP_REQUIRED_BUSINESS_TAGS";

export function detect(ctx: DetectContext): DetectResult {
  if (ctx.app.isFile(TAGS_FILE)) return pass();
  // A platform that requires tags must see apps without the file too: build then fails, naming the tags.
  const required = requiredTags(ctx.platformEnv[REQUIRED_ENV] ?? ctx.env[REQUIRED_ENV]);
  if (required.length) return pass();
  return fail(`looked for ${TAGS_FILE} in the app: none found (and ${REQUIRED_ENV} is not set)`);
}
