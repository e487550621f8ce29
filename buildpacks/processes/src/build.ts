import type { AppFiles, BuildContext, BuildResult, Process } from "#libcnb";
import { parseProcfile, procfileProcesses } from "./procfile.js";
import { parseProjectProcesses } from "./project-toml.js";

export const PROCFILE = "Procfile";
export const PROJECT_TOML = "project.toml";
/** Scripts that make a default web process, in order of preference. */
export const DEFAULT_SCRIPTS = ["app.py", "main.py"];

export interface ProcessChoice {
  /** Where the processes came from ("Procfile", "project.toml", "app.py"), or undefined if none. */
  source: string | undefined;
  processes: Process[];
}

/** The default process: one marked default, else "web", else the first. */
export function withDefault(processes: Process[]): Process[] {
  if (processes.length === 0 || processes.some((p) => p.default)) return processes;
  const chosen = processes.find((p) => p.type === "web") ?? processes[0];
  return processes.map((p) => (p === chosen ? { ...p, default: true } : p));
}

/** Procfile, else project.toml [[io.buildpacks.processes]], else `python3 app.py|main.py` as web. */
export function chooseProcesses(app: AppFiles): ProcessChoice {
  const procfile = app.isFile(PROCFILE) ? app.readText(PROCFILE) : undefined;
  if (procfile !== undefined) {
    const entries = parseProcfile(procfile, PROCFILE);
    if (entries.length) return { source: PROCFILE, processes: withDefault(procfileProcesses(entries)) };
  }
  const project = app.isFile(PROJECT_TOML) ? app.readText(PROJECT_TOML) : undefined;
  if (project !== undefined) {
    const processes = parseProjectProcesses(project, PROJECT_TOML);
    if (processes) return { source: PROJECT_TOML, processes: withDefault(processes) };
  }
  const script = DEFAULT_SCRIPTS.find((f) => app.isFile(f));
  if (script) {
    // python3, not python: Debian has no `python` command without python-is-python3; a venv has both.
    return { source: script, processes: [{ type: "web", command: ["python3", script], default: true }] };
  }
  return { source: undefined, processes: [] };
}

function describe(p: Process): string {
  const argv = p.command[0] === "bash" && p.command[1] === "-c" ? (p.command[2] ?? "") : p.command.join(" ");
  const args = p.args?.length ? ` ${p.args.join(" ")}` : "";
  const dir = p.workingDir ? ` (in ${p.workingDir})` : "";
  return `${p.type}${p.default ? " (default)" : ""}: ${argv}${args}${dir}`;
}

export function build(ctx: BuildContext): BuildResult {
  const log = ctx.logger;
  log.header("Setting launch processes");
  const choice = chooseProcesses(ctx.app);
  if (!choice.source) {
    log.warning(
      "No launch process found",
      `Found no ${PROCFILE}, no [[io.buildpacks.processes]] in ${PROJECT_TOML} and no ${DEFAULT_SCRIPTS.join(" or ")}.\n` +
        "The image will have no default process: give the command when running it\n" +
        "(docker run IMAGE python3 your_script.py), or add a Procfile such as:\n\n" +
        "  web: python3 serve.py",
    );
    return {};
  }
  if (ctx.app.isFile(PROCFILE) && choice.source !== PROCFILE)
    log.step(`${PROCFILE} defines no processes; ignoring it`);
  log.step(`Using processes from ${choice.source}:`);
  log.detail(choice.processes.map(describe));
  return { processes: choice.processes };
}
