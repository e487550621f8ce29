// The last resolution of an Aptfile, kept in the apt-cache layer (build cache only, never in the
// image): when the request, the sources and the run image's packages are the same and the lists are
// younger than BP_DEB_PACKAGES_REFRESH_HOURS, the build reuses the packages layer without running
// apt-get update and the resolver again (5-6 s of every build that only changed app code).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PackagesKey } from "./packages.js";

export const REFRESH_ENV = "BP_DEB_PACKAGES_REFRESH_HOURS";
export const DEFAULT_REFRESH_HOURS = 24;

export interface Resolution {
  /** sha256 of what was asked: requests, sources, the run image's dpkg status, target. */
  request: string;
  /** When apt-get update last ran for it (ms since the epoch). */
  at: number;
  /** The packages layer key that resolution produced. */
  key: PackagesKey;
}

const FILE = "resolution.json";

export function readResolution(cacheLayerPath: string): Resolution | undefined {
  const file = join(cacheLayerPath, FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Resolution;
  } catch {
    return undefined;
  }
}

export function writeResolution(cacheLayerPath: string, r: Resolution): void {
  writeFileSync(join(cacheLayerPath, FILE), JSON.stringify(r));
}

/** Pure: hours from the env (0 = resolve every build); undefined when the value is not a number. */
export function refreshHours(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return DEFAULT_REFRESH_HOURS;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Pure: why an image with these packages should be built again, for the platform's fast-path log. */
export function refreshReason(hours: number): string {
  return `deb-packages runs apt-get update again ${hours} h after the last one, for security updates (${REFRESH_ENV})`;
}

/** Pure: may the recorded resolution stand for this build? */
export function resolutionStillValid(
  recorded: Resolution | undefined,
  request: string,
  now: number,
  hours: number,
): recorded is Resolution {
  return (
    !!recorded &&
    recorded.request === request &&
    now - recorded.at >= 0 &&
    now - recorded.at < hours * 3_600_000
  );
}
