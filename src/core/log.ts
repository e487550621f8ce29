/** Logging interface the core writes to; adapters decide how groups render (CLI headers, Actions groups). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Raw output line from a tool (lifecycle, docker), printed as-is. */
  output(line: string): void;
  /** Runs fn inside a named, timed section; the duration is logged when it ends. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Plain console logger for the CLI: a header per section and its duration at the end. */
export class ConsoleLogger implements Logger {
  constructor(
    private readonly clock: Clock = systemClock,
    private readonly write: (s: string) => void = (s) => process.stdout.write(s),
    private readonly writeErr: (s: string) => void = (s) => process.stderr.write(s),
  ) {}

  info(message: string): void {
    this.write(`${message}\n`);
  }
  warn(message: string): void {
    this.writeErr(`WARNING: ${message}\n`);
  }
  error(message: string): void {
    this.writeErr(`${message}\n`);
  }
  output(line: string): void {
    this.write(`${line}\n`);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const started = this.clock.now();
    this.write(`\n===> ${title}\n`);
    try {
      const result = await fn();
      this.write(`<=== ${title}: done in ${formatDuration(this.clock.now() - started)}\n`);
      return result;
    } catch (err) {
      this.write(`<=== ${title}: failed after ${formatDuration(this.clock.now() - started)}\n`);
      throw err;
    }
  }
}
