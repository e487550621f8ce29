import type { BuildContext, BuildResult } from "#libcnb";
import { REQUIRED_ENV } from "./detect.js";
import * as errors from "./errors.js";
import { parseTags, requiredTags, TAGS_FILE } from "./tags.js";

export function build(ctx: BuildContext): BuildResult {
  const log = ctx.logger;
  log.header("Business tags");
  const text = ctx.app.readText(TAGS_FILE);
  const tags = text === undefined ? [] : parseTags(text, TAGS_FILE);
  const required = requiredTags(ctx.platformEnv[REQUIRED_ENV] ?? ctx.env[REQUIRED_ENV]);
  if (required.length) {
    const have = new Set(tags.map((t) => t.key));
    const missing = required.filter((r) => !have.has(r));
    if (missing.length) throw errors.missingRequired(TAGS_FILE, missing, required, text !== undefined);
    log.step(`Required by the platform (${REQUIRED_ENV}): ${required.join(", ")}: all present`);
  }
  if (tags.length === 0) {
    log.step(`${TAGS_FILE} has no tags: no labels added`);
    return {};
  }
  log.step(`Labels from ${TAGS_FILE}:`);
  log.detail(tags.map((t) => `${t.key}=${t.value}`));
  return { labels: tags.map((t) => ({ key: t.key, value: t.value })) };
}
