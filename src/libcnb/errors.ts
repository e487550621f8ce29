// User-facing errors. Buildpacks create BuildpackErrors (their texts live in each buildpack's
// src/errors.ts); run() renders them here, in one place, and exits non-zero.

export interface BuildpackErrorInit {
  /** One line: what went wrong ("pip could not install requirements.txt"). */
  title: string;
  /** What happened and what to do about it; may span several lines. */
  body: string;
  /** File in the app the error is about, relative to the app dir. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  cause?: unknown;
}

export class BuildpackError extends Error {
  readonly title: string;
  readonly body: string;
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(init: BuildpackErrorInit) {
    super(init.title, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "BuildpackError";
    this.title = init.title;
    this.body = init.body;
    this.file = init.file;
    this.line = init.line;
  }
}

export function isBuildpackError(err: unknown): err is BuildpackError {
  return err instanceof BuildpackError;
}

/** "requirements.txt:3", "requirements.txt" or undefined. */
export function location(file: string | undefined, line: number | undefined): string | undefined {
  if (file === undefined) return undefined;
  return line === undefined ? file : `${file}:${line}`;
}

/**
 * Renders any thrown value for the build log. BuildpackErrors show title, location and body;
 * anything else is an internal error: its message and stack, with a request to report it.
 */
export function renderError(err: unknown, buildpack?: { id: string; version: string }): string {
  const lines: string[] = [""];
  if (isBuildpackError(err)) {
    lines.push(`! ERROR: ${err.title}`);
    const where = location(err.file, err.line);
    if (where) lines.push(`!   in ${where}`);
    lines.push("!");
    for (const line of err.body.trimEnd().split("\n")) lines.push(line ? `! ${line}` : "!");
  } else {
    const who = buildpack ? `${buildpack.id} ${buildpack.version}` : "the buildpack";
    const message = err instanceof Error ? err.message : String(err);
    lines.push(`! ERROR: internal error in ${who}`);
    lines.push("!");
    for (const line of message.split("\n")) lines.push(`! ${line}`);
    lines.push("!");
    lines.push("! This is a bug in the buildpack, not in your app. Please report it with this log.");
    if (err instanceof Error && err.stack) {
      lines.push("!");
      for (const line of err.stack.split("\n").slice(1)) lines.push(`! ${line}`);
    }
  }
  lines.push("");
  return lines.join("\n");
}
