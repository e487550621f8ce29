// Pieces shared by the Python buildpacks' layer keys.
import { type Target, versionChanged } from "../libcnb/index.js";

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

/** The key fields that tie a layer to the build's architecture and distribution. */
type TargetKey = { arch: string; distro_name: string; distro_version: string };

export function targetKey(target: Target): TargetKey {
  return { arch: archOf(target), distro_name: target.distroName, distro_version: target.distroVersion };
}

export const TARGET_DESCRIBERS = {
  arch: versionChanged("architecture"),
  distro_name: versionChanged("distribution"),
  distro_version: versionChanged("distribution version"),
};
