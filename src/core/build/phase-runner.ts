// Runs one lifecycle phase in its own log section and turns a failure into a readable error.
import { MlBuildpacksError } from "../errors.js";
import type { Executor } from "../executor/types.js";
import { explainExit } from "../lifecycle/exit-codes.js";
import {
  detectFailureLines,
  detectFailureReasons,
  groupFromCreatorOutput,
  type LayerActivity,
  recordExporterLine,
} from "../lifecycle/output.js";
import type { Phase, PhaseSpec } from "../lifecycle/phases.js";
import type { Clock, Logger } from "../log.js";
import { explainPushFailureAsking, type RegistryQuestions } from "../registry/push-failures.js";
import { parseTomlFile } from "../toml.js";

export type Group = { id: string; version: string }[];

export async function runPhase(
  spec: PhaseSpec,
  executor: Executor,
  ctx: {
    log: Logger;
    clock: Clock;
    layers: LayerActivity;
    memoryLimit: string | undefined;
    /** Questions to the target registry when the exporter's output does not say why a push failed. */
    askRegistry: RegistryQuestions;
  },
): Promise<{ ms: number; group: Group | undefined }> {
  const { log, clock, layers } = ctx;
  const started = clock.now();
  // The detector runs at debug level so a failed detection can show what each buildpack looked for;
  // that output is printed only when detection fails.
  const held: string[] = [];
  const seen: string[] = [];
  return log.group(phaseTitle(spec.phase), async () => {
    const exit = await executor.runPhase(spec, (line) => {
      if (spec.phase === "detect") return void held.push(line);
      seen.push(line);
      log.output(line);
      if (spec.phase === "export" || spec.phase === "create" || spec.phase === "pre-export")
        recordExporterLine(layers, line);
    });
    const ms = clock.now() - started;
    if (spec.phase === "detect" && exit !== 0) {
      for (const line of detectFailureLines(held)) log.output(line);
      throw phaseError(spec.phase, exit, detectFailureReasons(held), ctx.memoryLimit);
    }
    // Pre-export never fails a build: without it, the exporter does all the work.
    if (exit !== 0 && spec.phase === "pre-export") log.warn(preExportNotes.failed(exit));
    else if (exit !== 0) {
      // The analyzer writes too: it checks write access by starting an upload.
      const pushed = spec.phase === "export" || spec.phase === "create" || spec.phase === "analyze";
      const reasons = pushed ? await explainPushFailureAsking(seen, ctx.askRegistry) : [];
      throw phaseError(spec.phase, exit, reasons, ctx.memoryLimit);
    }
    if (spec.phase === "detect") {
      const group = readGroup(executor.readOutput("group.toml"));
      for (const bp of group) log.output(`${bp.id} ${bp.version}`);
      return { ms, group };
    }
    return { ms, group: spec.phase === "create" ? groupFromCreatorOutput(seen) : undefined };
  });
}

function phaseTitle(phase: Phase): string {
  return {
    analyze: "ANALYZING",
    detect: "DETECTING",
    restore: "RESTORING",
    build: "BUILDING",
    export: "EXPORTING",
    create: "CREATING (analyze, detect, restore, build, export in one container)",
    "pre-export":
      "PRE-EXPORTING (the build's inputs for the exporter; where the registry deletes, new layers of 8 MiB or more compressed once on every core)",
  }[phase];
}

export function phaseError(
  phase: Phase,
  code: number,
  reasons: string[] = [],
  memoryLimit?: string,
): MlBuildpacksError {
  const { title, hint } = explainExit(phase, code, memoryLimit);
  const detail = [...reasons, `(lifecycle ${phase} phase exited with code ${code})`].join("\n");
  return new MlBuildpacksError({ title, hint, detail, exitCode: 1 });
}

function readGroup(text: string | undefined): Group {
  if (!text) return [];
  const doc = parseTomlFile(text, "group.toml") as { group?: { id: string; version: string }[] };
  return (doc.group ?? []).map(({ id, version }) => ({ id, version }));
}

/** The platform's lines about pre-export (pre-export's own are in src/pre-export). */
export const preExportNotes = {
  failed: (code: number) =>
    `pre-export exited with code ${code}; the exporter compresses and pushes every layer itself`,
  stagingKept: (digest: string, why: string) =>
    `the registry did not delete the staging manifest ${digest} (${why}): it stays untagged until its garbage collection`,
};
