// When an image must be built again although none of its inputs changed. A buildpack that picks up
// outside updates on a schedule (deb-packages runs apt-get update every N hours, for security fixes)
// says when the next one is due; the platform's no-change and code-change fast paths, which run no
// buildpack, stop reusing the image after that time.
import { type RefreshDue, refreshLabelKey } from "../labels/refresh-due.js";
import type { Label } from "./launch.js";

export class RefreshRecorder {
  private earliest: { at: number; reason: string } | undefined;

  /** The image should be rebuilt from `at` (ms since the epoch) on; the earliest call wins. */
  dueAt(at: number, reason: string): void {
    if (!this.earliest || at < this.earliest.at) this.earliest = { at, reason };
  }

  label(buildpack: string): Label | undefined {
    if (!this.earliest) return undefined;
    const value: RefreshDue = {
      buildpack,
      due: new Date(this.earliest.at).toISOString(),
      reason: this.earliest.reason,
    };
    return { key: refreshLabelKey(buildpack), value: JSON.stringify(value) };
  }
}
