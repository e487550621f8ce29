// project.toml [[io.buildpacks.processes]]: type, command (argv array, or a string run with bash -c),
// args, default, working-dir.
import { isTable, type Process, parseToml, TomlSyntaxError, type TomlValue } from "#libcnb";
import * as errors from "./errors.js";
import { shellProcess } from "./procfile.js";

const KEYS = new Set(["type", "command", "args", "default", "working-dir"]);
const TYPE = /^[A-Za-z0-9_.-]+$/;

/** 1-based line of the n-th [[io.buildpacks.processes]] header, if written as a table header. */
function headerLine(text: string, index: number): number | undefined {
  let seen = -1;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*\[\[\s*io\.buildpacks\.processes\s*\]\]/.test(lines[i] ?? "") && ++seen === index) return i + 1;
  }
  return undefined;
}

function isStringArray(v: TomlValue | undefined): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

/** Processes declared in project.toml, or undefined when it declares none. */
export function parseProjectProcesses(text: string, file = "project.toml"): Process[] | undefined {
  let toml: ReturnType<typeof parseToml>;
  try {
    toml = parseToml(text, file);
  } catch (err) {
    if (err instanceof TomlSyntaxError) throw errors.projectTomlSyntax(file, err.message, err.line);
    throw err;
  }
  const io = toml.io;
  const bp = isTable(io) ? io.buildpacks : undefined;
  const raw = isTable(bp) ? bp.processes : undefined;
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw))
    throw errors.projectTomlInvalid(file, "io.buildpacks.processes must be an array of tables.");

  const processes: Process[] = [];
  const firstLine = new Map<string, number | undefined>();
  raw.forEach((entry, i) => {
    const line = headerLine(text, i);
    const invalid = (problem: string) =>
      errors.projectTomlInvalid(file, `Process #${i + 1}: ${problem}`, line);
    if (!isTable(entry)) throw invalid("must be a table.");
    for (const key of Object.keys(entry)) {
      if (!KEYS.has(key)) throw invalid(`unknown key "${key}".`);
    }
    const { type, command, args, default: isDefault } = entry;
    const workingDir = entry["working-dir"];
    if (typeof type !== "string" || !TYPE.test(type)) {
      throw invalid(
        `"type" must be a non-empty string of letters, digits, ".", "-" and "_" (got ${JSON.stringify(type)}).`,
      );
    }
    if (firstLine.has(type)) throw errors.duplicateProcess(file, type, line, firstLine.get(type));
    firstLine.set(type, line);

    let process: Process;
    if (typeof command === "string" && command.trim()) process = shellProcess(type, command.trim());
    else if (isStringArray(command) && command.length > 0 && command[0]) process = { type, command };
    else throw invalid(`"command" must be a non-empty string or array of strings (process "${type}").`);

    if (args !== undefined) {
      if (!isStringArray(args)) throw invalid(`"args" must be an array of strings (process "${type}").`);
      process.args = args;
    }
    if (isDefault !== undefined) {
      if (typeof isDefault !== "boolean")
        throw invalid(`"default" must be true or false (process "${type}").`);
      if (isDefault) process.default = true;
    }
    if (workingDir !== undefined) {
      if (typeof workingDir !== "string" || !workingDir) {
        throw invalid(`"working-dir" must be a non-empty string (process "${type}").`);
      }
      process.workingDir = workingDir;
    }
    processes.push(process);
  });

  const defaults = processes.filter((p) => p.default);
  if (defaults.length > 1) {
    throw errors.projectTomlInvalid(
      file,
      `More than one default process: ${defaults.map((p) => p.type).join(", ")}. Mark at most one with default = true.`,
    );
  }
  return processes.length ? processes : undefined;
}
