import type { DetectContext, DetectResult } from "#libcnb";
import { detectLock } from "#pybuild/lock-detect";

export const LOCK = "Pipfile.lock";
export const MANIFEST = "Pipfile";

export function detect(ctx: DetectContext): DetectResult {
  return detectLock(ctx, LOCK);
}
