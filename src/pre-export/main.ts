// Entry point of dist/pre-export/index.mjs, which the lifecycle container runs between the builder
// and the exporter (node from the build image). It never fails the build: anything that goes wrong
// leaves analyzed.toml as it was, and the exporter then does all the work as usual.

import type { PreExportRequest } from "../core/pre-export/contract.js";
import { preExport } from "./pre-export.js";

const say = (line: string) => process.stdout.write(`${line}\n`);
try {
  // The request is the first argument (JSON, no secrets: credentials come from CNB_REGISTRY_AUTH, as
  // for the lifecycle beside it).
  const request = JSON.parse(process.argv[2] ?? "") as PreExportRequest;
  await preExport(request, say);
} catch (err) {
  say(
    `Pre-export skipped (${err instanceof Error ? err.message : String(err)}): the exporter compresses every layer itself`,
  );
}
