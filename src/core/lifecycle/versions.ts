import { MlBuildpacksError } from "../errors.js";
import { messages } from "../messages.js";

export interface LifecycleApis {
  platform: string[];
  buildpack: string[];
}

/** API ranges of lifecycle releases we build builders with (from each release's lifecycle.toml). */
const KNOWN: Record<string, LifecycleApis> = {
  "0.21.17": {
    platform: ["0.7", "0.8", "0.9", "0.10", "0.11", "0.12", "0.13", "0.14", "0.15"],
    buildpack: ["0.7", "0.8", "0.9", "0.10", "0.11", "0.12"],
  },
};

export const DEFAULT_LIFECYCLE_VERSION = "0.21.17";

export function lifecycleApis(version: string): LifecycleApis {
  const apis = KNOWN[version];
  if (!apis) throw new MlBuildpacksError(messages.unknownLifecycleVersion(version, Object.keys(KNOWN)));
  return apis;
}

/** Platform APIs the core's phase flags are written for, oldest first. */
export const SUPPORTED_PLATFORM_APIS = ["0.12", "0.13", "0.14"] as const;

function compareApi(a: string, b: string): number {
  const [amaj = 0, amin = 0] = a.split(".").map(Number);
  const [bmaj = 0, bmin = 0] = b.split(".").map(Number);
  return amaj - bmaj || amin - bmin;
}

/** The newest Platform API both the builder's lifecycle and the core support, or undefined. */
export function negotiatePlatformApi(builderApis: readonly string[]): string | undefined {
  return SUPPORTED_PLATFORM_APIS.filter((api) => builderApis.includes(api))
    .sort(compareApi)
    .at(-1);
}
