// Which app files a build depended on. Every buildpack's build records the files it read through
// ctx.app, plus "the whole app" when a tool it runs reads the project itself (a local-path install),
// and publishes that as an image label. The platform can then tell a change to files no buildpack
// read (only the app layer differs) from one that needs the buildpacks to run again.
import { posix } from "node:path";
import type { AppFiles } from "./files.js";
import type { Label } from "./launch.js";

/** One label per buildpack: `<prefix><buildpack id with "/" as ".">`. */
export const APP_READS_LABEL_PREFIX = "dev.ml-buildpacks.app-reads.";

export interface AppReads {
  buildpack: string;
  /** App-relative, "/"-separated, sorted. */
  files: string[];
  /** Why the build depends on every app file, when it does. */
  wholeApp?: string;
}

export class AppReadsRecorder {
  private readonly files = new Set<string>();
  private wholeApp: string | undefined;

  record(rel: string): void {
    this.files.add(posix.normalize(rel.split("\\").join("/")).replace(/^\.\//, ""));
  }

  /** A tool this build runs reads app files beyond those read through ctx.app (first reason kept). */
  dependsOnWholeApp(reason: string): void {
    this.wholeApp ??= reason;
  }

  reads(buildpack: string): AppReads {
    return {
      buildpack,
      files: [...this.files].sort(),
      ...(this.wholeApp ? { wholeApp: this.wholeApp } : {}),
    };
  }

  label(buildpack: string): Label {
    return { key: appReadsLabelKey(buildpack), value: JSON.stringify(this.reads(buildpack)) };
  }
}

export function appReadsLabelKey(buildpack: string): string {
  return `${APP_READS_LABEL_PREFIX}${buildpack.split("/").join(".")}`;
}

/** AppFiles that tell the recorder about every file whose content is read. */
export function recordingAppFiles(inner: AppFiles, recorder: AppReadsRecorder): AppFiles {
  return {
    ...inner,
    readText: (rel) => {
      recorder.record(rel);
      return inner.readText(rel);
    },
    readBytes: (rel) => {
      recorder.record(rel);
      return inner.readBytes(rel);
    },
  };
}

/** Pure: the app-reads labels of an image config, by buildpack id; malformed values are left out. */
export function appReadsFromLabels(labels: Record<string, string>): Map<string, AppReads> {
  const out = new Map<string, AppReads>();
  for (const [key, value] of Object.entries(labels)) {
    if (!key.startsWith(APP_READS_LABEL_PREFIX)) continue;
    try {
      const doc = JSON.parse(value) as Partial<AppReads>;
      if (typeof doc.buildpack !== "string" || !Array.isArray(doc.files)) continue;
      if (!doc.files.every((f) => typeof f === "string")) continue;
      out.set(doc.buildpack, {
        buildpack: doc.buildpack,
        files: doc.files,
        ...(typeof doc.wholeApp === "string" ? { wholeApp: doc.wholeApp } : {}),
      });
    } catch {
      // not ours: ignored, so the buildpack counts as undeclared
    }
  }
  return out;
}
