// The build report's parts that don't depend on how the image came to be.
import type { BuilderInfo } from "../builder/inspect.js";
import type { FastPathOutcome } from "../fast-path/index.js";
import type { BuildReport } from "../report.js";
import type { BuildRequest } from "../request.js";
import { type BuildTargets, tagNames } from "./targets.js";

export type ReportBase = Pick<BuildReport, "image" | "tags" | "published" | "platform" | "builder" | "cache">;

export function reportBase(
  req: BuildRequest,
  builder: BuilderInfo,
  platformApi: string,
  names: BuildTargets,
): ReportBase {
  const { image, tags } = tagNames(names);
  return {
    image,
    tags: [image, ...tags],
    published: req.publish,
    platform: builder.platform,
    builder: {
      ref: req.builder,
      digest: builder.digest,
      lifecycleVersion: builder.lifecycleVersion,
      platformApi,
    },
    cache: { dir: req.cacheDir, cleared: req.clearCache },
  };
}

export function fastPathReport(outcome: FastPathOutcome, used: boolean): BuildReport["fastPath"] {
  return { used, inputDigest: outcome.inputs?.digest, reason: outcome.reason };
}
