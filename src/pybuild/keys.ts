// Pieces shared by the Python buildpacks' layer keys.
import type { Target } from "../libcnb/index.js";

export function archOf(target: Target): string {
  return target.archVariant ? `${target.arch}/${target.archVariant}` : target.arch;
}

function show(v: unknown): string {
  return v === undefined ? "(none)" : v === "" ? "(none)" : String(v);
}

/** "dependency groups (none) -> dev" */
export function groupsChanged(what: string) {
  return (before: unknown, after: string) => `${what} ${show(before)} -> ${show(after)}`;
}
