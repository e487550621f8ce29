import type { PhasePaths, PhaseSpec } from "../lifecycle/phases.js";

/** Runs lifecycle phases somewhere: in builder containers (docker) or in-process inside the builder (local). */
export interface Executor {
  /** Where the phases see layers, app, platform, cache and out dirs (default: CONTAINER_PATHS). */
  readonly paths?: PhasePaths;
  /** Can run chainSpec's pre-export (the docker executor, with dist/pre-export at hand). */
  readonly preExport?: boolean;
  /** Puts the app, an empty layers dir, the platform env and the cache where the phases expect them. */
  prepare(): Promise<void>;
  /** Runs one phase, streaming its output; resolves to its exit code. */
  runPhase(spec: PhaseSpec, onLine: (line: string) => void): Promise<number>;
  /** Reads a file the phases wrote to the out dir (report.toml, group.toml, ...). */
  readOutput(name: string): string | undefined;
  /** Removes everything prepare() made; the cache dir stays. */
  cleanup(): Promise<void>;
}
