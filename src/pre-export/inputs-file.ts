// The build's inputs on the image without a second manifest: written to
// <layers>/project-metadata.toml before the exporter runs, which turns it into the project metadata
// label of the image it pushes (lifecycle: exporter -project-metadata, default in the layers dir).
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import TOML from "@iarna/toml";
import { type AppLayerPlan, recordFromBuild } from "../core/fast-path/app-layer.js";
import { projectMetadata, type RecordedInputs } from "../core/fast-path/inputs.js";
import { fastPathNotes } from "../core/fast-path/notes.js";
import type { PreExportRequest } from "../core/pre-export/contract.js";

export const PROJECT_METADATA_FILE = "project-metadata.toml";

/** Pure: the labels buildpacks declared, from the builder's <layers>/config/metadata.toml. */
export function buildLabels(metadataToml: string): Record<string, string> {
  const doc = TOML.parse(metadataToml) as { labels?: { key?: unknown; value?: unknown }[] };
  const out: Record<string, string> = {};
  for (const { key, value } of doc.labels ?? [])
    if (typeof key === "string" && typeof value === "string") out[key] = value;
  return out;
}

/** Pure: project-metadata.toml's text for these inputs. */
export function projectMetadataToml(inputs: RecordedInputs): string {
  return TOML.stringify(projectMetadata(inputs) as unknown as TOML.JsonMap);
}

/**
 * Writes the inputs, with the app record when the platform planned one (said in the log either
 * way), where the exporter reads them. Returns whether they are in place; never throws.
 */
export function writeInputs(
  req: Pick<PreExportRequest, "layersDir" | "groupPath" | "appDir">,
  label: { inputs: RecordedInputs; app?: AppLayerPlan },
  say: (line: string) => void,
): boolean {
  try {
    let inputs = label.inputs;
    if (label.app) {
      const group =
        (TOML.parse(readFileSync(req.groupPath, "utf8")) as { group?: { id: string }[] }).group ?? [];
      const labels = buildLabels(readFileSync(join(req.layersDir, "config", "metadata.toml"), "utf8"));
      const outcome = recordFromBuild(labels, group, label.app, req.appDir);
      if ("record" in outcome) {
        inputs = { ...inputs, app: outcome.record };
        say(fastPathNotes.appSwapReady(outcome.record.files));
      } else say(fastPathNotes.appSwapNotReady(outcome.reason));
    }
    const file = join(req.layersDir, PROJECT_METADATA_FILE);
    writeFileSync(`${file}.tmp`, projectMetadataToml(inputs));
    renameSync(`${file}.tmp`, file);
    say(preExportLabelNotes.written);
    return true;
  } catch (err) {
    say(preExportLabelNotes.failed(err instanceof Error ? err.message : String(err)));
    return false;
  }
}

export const preExportLabelNotes = {
  written: "Recorded the build's inputs for the exporter (project metadata label)",
  failed: (why: string) => `Could not record the build's inputs for the exporter: ${why}`,
};
