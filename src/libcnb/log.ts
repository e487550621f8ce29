// Build log in the spirit of Heroku's Python CNB: a title per buildpack, "[Section]" headers,
// "- step" lines, timed steps with durations and indented, live-streamed tool output.

export interface Clock {
  /** Milliseconds on a monotonic scale; only differences are used. */
  now(): number;
}

export const systemClock: Clock = { now: () => performance.now() };

export type Write = (text: string) => void;

/** A sink for a child process's output: written live, each line indented. */
export interface OutputSink {
  write(chunk: string): void;
  end(): void;
}

export interface Logger {
  /** "## <text>": first line a buildpack prints. */
  title(text: string): void;
  /** "[<text>]": starts a section. */
  header(text: string): void;
  /** "- <text>" */
  step(text: string): void;
  /** "  <text>": detail under the previous step (one line per array item). */
  detail(text: string | string[]): void;
  /** "! WARNING: <title>" followed by the body, without failing the build. */
  warning(title: string, body?: string): void;
  /** "- <text> ... (1.2s)": runs fn and appends its duration. */
  timed<T>(text: string, fn: () => Promise<T>): Promise<T>;
  /** "- <text>", then fn's live output indented, then "  Done (12.3s)". */
  streamed<T>(text: string, fn: (out: OutputSink) => Promise<T>): Promise<T>;
  /** Plain text as is (no newline added). */
  raw(text: string): void;
}

/** "< 0.1s", "2.4s", "1m 05s" */
export function formatDuration(ms: number): string {
  if (ms < 100) return "< 0.1s";
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}

export const STREAM_INDENT = "      ";

export function createLogger(
  write: Write = (t) => process.stdout.write(t),
  clock: Clock = systemClock,
): Logger {
  // A timed step leaves its line open ("- Creating venv ...") so the duration can follow it;
  // anything printed meanwhile closes it first.
  let openLine = false;
  const out = (text: string) => {
    if (openLine) {
      write("\n");
      openLine = false;
    }
    write(text);
  };

  const sink = (): OutputSink => {
    let partial = "";
    return {
      write(chunk: string) {
        const parts = (partial + chunk).replace(/\r\n?/g, "\n").split("\n");
        partial = parts.pop() ?? "";
        for (const line of parts) out(line ? `${STREAM_INDENT}${line}\n` : "\n");
      },
      end() {
        if (partial) out(`${STREAM_INDENT}${partial}\n`);
        partial = "";
      },
    };
  };

  return {
    title: (text) => out(`\n## ${text}\n`),
    header: (text) => out(`\n[${text}]\n`),
    step: (text) => out(`- ${text}\n`),
    detail: (text) => {
      for (const line of Array.isArray(text) ? text : [text]) out(`  ${line}\n`);
    },
    warning: (title, body) => {
      out(`\n! WARNING: ${title}\n`);
      if (body) for (const line of body.trimEnd().split("\n")) out(line ? `! ${line}\n` : "!\n");
      out("\n");
    },
    raw: (text) => out(text),
    async timed(text, fn) {
      const started = clock.now();
      out(`- ${text} ...`);
      openLine = true;
      let ok = false;
      try {
        const result = await fn();
        ok = true;
        return result;
      } finally {
        const took = formatDuration(clock.now() - started);
        if (openLine) {
          write(ok ? ` (${took})\n` : ` failed (${took})\n`);
          openLine = false;
        } else {
          out(ok ? `  Done (${took})\n` : `  Failed after ${took}\n`);
        }
      }
    },
    async streamed(text, fn) {
      const started = clock.now();
      out(`- ${text}\n\n`);
      const s = sink();
      let ok = false;
      try {
        const result = await fn(s);
        ok = true;
        return result;
      } finally {
        s.end();
        const took = formatDuration(clock.now() - started);
        out(ok ? `\n  Done (${took})\n` : `\n  Failed after ${took}\n`);
      }
    },
  };
}
