import { type DetectResult, pass } from "#libcnb";

/**
 * Always passes, with an empty plan: the lifecycle accepts a buildpack that neither provides nor
 * requires anything (it adds no entries to the plan resolution). Finding no process at build time is
 * a warning, not a failure, so it never needs to fail detection either.
 */
export function detect(): DetectResult {
  return pass();
}
