import type { DetectContext, DetectResult } from "../../../src/libcnb/index.js";
import { detectLock } from "../../../src/pybuild/lock-detect.js";

export const LOCK = "uv.lock";
export const MANIFEST = "pyproject.toml";

export function detect(ctx: DetectContext): DetectResult {
  return detectLock(ctx, LOCK);
}
