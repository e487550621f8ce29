import type { DetectContext, DetectResult } from "../../../src/libcnb/index.js";
import { detectLock } from "../../../src/pybuild/lock-detect.js";

export const LOCK = "Pipfile.lock";
export const MANIFEST = "Pipfile";

export function detect(ctx: DetectContext): DetectResult {
  return detectLock(ctx, LOCK);
}
