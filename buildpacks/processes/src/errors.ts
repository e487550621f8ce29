// Every message the processes buildpack shows a user: what happened and what to do.
import { BuildpackError } from "#libcnb";

const PROCFILE_FORMAT =
  'Each line must be "<type>: <command>", e.g.\n\n' +
  "  web: gunicorn --bind 0.0.0.0:8080 app:app\n" +
  "  worker: python3 worker.py\n\n" +
  "The type may use letters, digits, - and _. Blank lines and lines starting with # are ignored.";

export function procfileMalformedLine(file: string, line: number, text: string): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line} is not a process definition`,
    body: `Line ${line} reads:\n\n  ${text}\n\n${PROCFILE_FORMAT}`,
    file,
    line,
  });
}

export function procfileEmptyCommand(file: string, line: number, type: string): BuildpackError {
  return new BuildpackError({
    title: `${file}: process "${type}" has no command`,
    body: `Line ${line} defines the process type "${type}" but no command after the colon.\n\n${PROCFILE_FORMAT}`,
    file,
    line,
  });
}

export function duplicateProcess(
  file: string,
  type: string,
  line?: number,
  firstLine?: number,
): BuildpackError {
  const where = firstLine !== undefined ? ` (first defined on line ${firstLine})` : "";
  return new BuildpackError({
    title: `${file} defines the process type "${type}" twice`,
    body: `Each process type may be defined once${where}. Remove or rename one of them.`,
    file,
    line,
  });
}

export function projectTomlSyntax(file: string, message: string, line?: number): BuildpackError {
  return new BuildpackError({
    title: `${file} is not valid TOML`,
    body: `${message}\n\nFix the syntax of ${file}; see https://toml.io for the format.`,
    file,
    line,
  });
}

export function projectTomlInvalid(file: string, problem: string, line?: number): BuildpackError {
  return new BuildpackError({
    title: `${file}: invalid [[io.buildpacks.processes]]`,
    body:
      `${problem}\n\nEach [[io.buildpacks.processes]] table takes:\n` +
      '  type = "web"                       # required: letters, digits, ., - and _\n' +
      '  command = ["python3", "serve.py"]  # required: argv (run directly) or a string (run with bash -c)\n' +
      '  args = ["--port", "8080"]          # optional: default arguments, replaced by `docker run IMAGE <args>`\n' +
      "  default = true                     # optional: at most one process\n" +
      '  working-dir = "src"                # optional: relative to the app dir',
    file,
    line,
  });
}

/** The file is larger than any hand-written one (often a generated or binary file under that name). */
export function tooLarge(file: string, size: number, limit: number): BuildpackError {
  return new BuildpackError({
    title: `${file} is too large (${size} bytes)`,
    body:
      `${file} holds ${size} bytes; a Procfile lists process types and their commands, and is read only up to ${limit} bytes. A file this size is usually a\n` +
      "generated or binary file committed under that name.\n\n" +
      `What to do: keep one "<type>: <command>" line per process in ${file}; move long scripts into a file in the\n` +
      "app and run that file from the Procfile line.",
    file,
  });
}
