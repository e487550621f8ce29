/** Where in a user's file a problem is, so adapters can point at it (CLI message, CI annotation). */
export interface FileLocation {
  file: string;
  line?: number;
  column?: number;
}

/**
 * A failure a person can act on: what happened, and what to do about it.
 * Every user-facing error in the core is one of these; texts live in messages.ts.
 */
export class MlBuildpacksError extends Error {
  readonly title: string;
  readonly detail: string;
  readonly hint: string;
  readonly location: FileLocation | undefined;
  /** Process exit code the CLI should use. */
  readonly exitCode: number;

  constructor(opts: {
    title: string;
    detail?: string;
    hint?: string;
    location?: FileLocation;
    exitCode?: number;
  }) {
    super(opts.title);
    this.name = "MlBuildpacksError";
    this.title = opts.title;
    this.detail = opts.detail ?? "";
    this.hint = opts.hint ?? "";
    this.location = opts.location;
    this.exitCode = opts.exitCode ?? 1;
  }
}

export function formatLocation(loc: FileLocation): string {
  return [loc.file, loc.line, loc.column].filter((p) => p !== undefined).join(":");
}

/** Renders an error for a terminal or CI log. */
export function renderError(err: unknown): string {
  if (!(err instanceof MlBuildpacksError)) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return `ERROR: unexpected failure (a bug in ml-buildpacks, please report it):\n${message}`;
  }
  const lines = [`ERROR: ${err.title}`];
  if (err.location) lines.push(`  at ${formatLocation(err.location)}`);
  if (err.detail) lines.push(...err.detail.split("\n").map((l) => `  ${l}`));
  if (err.hint) lines.push(`  What to do: ${err.hint}`);
  return lines.join("\n");
}
