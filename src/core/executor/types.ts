import type { PhasePaths, PhaseSpec } from "../lifecycle/phases.js";

/** Runs lifecycle phases somewhere: in builder containers (docker) or in-process inside the builder (local). */
export interface Executor {
  /** Where the phases see layers, app, platform, cache and out dirs (default: CONTAINER_PATHS). */
  readonly paths?: PhasePaths;
  /**
   * How this executor runs pre-export, when dist/pre-export is at hand: the entry script's path as
   * the phases see it, and whether trusted builds chain every phase in one container (docker).
   */
  readonly preExport?: PreExportRunner;
  /** Puts the app, an empty layers dir, the platform env and the cache where the phases expect them. */
  prepare(): Promise<void>;
  /** Runs one phase, streaming its output; resolves to its exit code. */
  runPhase(spec: PhaseSpec, onLine: (line: string) => void): Promise<number>;
  /** Reads a file the phases wrote to the out dir (report.toml, group.toml, ...). */
  readOutput(name: string): string | undefined;
  /** Removes everything prepare() made; the cache dir stays. */
  cleanup(): Promise<void>;
}

/** How an executor runs pre-export: the entry script as the phases see it; chain: see chainSpec. */
export interface PreExportRunner {
  entry: string;
  chain: boolean;
  /** The build's extra CA bundle (--ca-certs) as pre-export sees it; absent: none was given. */
  caCerts?: string;
}

/** What every executor is handed by the core (factory.ts): the workspace contract of one build. */
export interface WorkspaceOptions {
  appDir: string;
  cacheDir: string | undefined;
  /** Where the SBOM is written after the push: left out of the workspace when inside the app. */
  sbomOutputDir?: string;
  /** Empty the cache dir first (--clear-cache), once its lock is held: never under another build. */
  clearCache?: boolean;
  buildEnv: Record<string, string>;
  /**
   * Build secrets: platform env for the phases that run buildpacks (detect, build, or the one
   * trusted container) only, never for analyze, restore, pre-export or export.
   */
  buildSecrets?: Record<string, string>;
  caCerts: string | undefined;
  platformApi: string;
  /**
   * Environment for the phases that talk to registries only (CNB_REGISTRY_AUTH): the docker
   * executor passes it by name (values in the docker client's environment, never in argv).
   */
  secretEnv: Record<string, string>;
  /** dist/pre-export (its index.mjs), run between builder and exporter; absent: none. */
  preExportDir?: string;
}
