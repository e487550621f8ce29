import type { DetectContext, DetectResult } from "#libcnb";
import { detectLock } from "#pybuild/lock-detect";

export const LOCK = "poetry.lock";
export const MANIFEST = "pyproject.toml";

export function detect(ctx: DetectContext): DetectResult {
  return detectLock(ctx, LOCK);
}
