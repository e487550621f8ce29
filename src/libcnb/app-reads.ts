// Which app files a build depended on. Every buildpack's build records the files it read through
// ctx.app, plus "the whole app" when a tool it runs reads the project itself (a local-path install),
// and publishes that as an image label. The platform can then tell a change to files no buildpack
// read (only the app layer differs) from one that needs the buildpacks to run again.
import { posix } from "node:path";
import { type AppReads, appReadsLabelKey } from "../labels/app-reads.js";
import type { AppFiles } from "./files.js";
import type { Label } from "./launch.js";

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
