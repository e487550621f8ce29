// launch.toml (processes, labels) and build.toml (unmet plan entries), Buildpack API 0.9+ formats.
import { stringifyToml } from "./toml.js";

export interface Process {
  /** Process type, e.g. "web"; becomes /cnb/process/<type>. */
  type: string;
  /**
   * argv, executed directly by the launcher (no shell) since Buildpack API 0.9. For shell syntax use
   * ["bash", "-c", "<line>"].
   */
  command: string[];
  /** Default arguments; `docker run <image> <args>` replaces them. */
  args?: string[];
  /** At most one process may be the default (the image's entrypoint). */
  default?: boolean;
  /** Relative to the app dir, or absolute. */
  workingDir?: string;
}

export interface Label {
  key: string;
  value: string;
}

export interface LaunchConfig {
  processes?: Process[];
  labels?: Label[];
}

// Characters the lifecycle's exporter refuses in a process type (layers/launcher.go).
const FORBIDDEN_TYPE_CHARS = /[/><:|&\\]/;

/** Problems the lifecycle would reject the build for, as messages; [] when valid. */
export function validateProcesses(processes: readonly Process[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const p of processes) {
    if (!p.type) problems.push("a process has an empty type");
    else if (FORBIDDEN_TYPE_CHARS.test(p.type) || /\s/.test(p.type)) {
      problems.push(
        `process type ${JSON.stringify(p.type)} may not contain whitespace or any of / > < : | & \\`,
      );
    }
    if (seen.has(p.type)) problems.push(`process type ${JSON.stringify(p.type)} is defined more than once`);
    seen.add(p.type);
    if (p.command.length === 0 || p.command[0] === "")
      problems.push(`process ${JSON.stringify(p.type)} has no command`);
  }
  const defaults = processes.filter((p) => p.default).map((p) => p.type);
  if (defaults.length > 1) problems.push(`more than one default process: ${defaults.join(", ")}`);
  return problems;
}

export function renderLaunchToml(config: LaunchConfig): string {
  const table: Record<string, unknown> = {};
  if (config.processes?.length) {
    table.processes = config.processes.map((p) => ({
      type: p.type,
      command: p.command,
      args: p.args ?? [],
      ...(p.default ? { default: true } : {}),
      ...(p.workingDir ? { "working-dir": p.workingDir } : {}),
    }));
  }
  if (config.labels?.length) table.labels = config.labels.map((l) => ({ key: l.key, value: l.value }));
  return stringifyToml(table);
}

/** build.toml: plan entries (by name) this buildpack did not satisfy, left for a later provider. */
export function renderBuildToml(unmet: readonly string[]): string {
  return unmet.length ? stringifyToml({ unmet: unmet.map((name) => ({ name })) }) : "";
}
