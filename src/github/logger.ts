import * as core from "@actions/core";
import { type Clock, formatDuration, type Logger, systemClock } from "../core/log.js";

/** The core's Logger on the Actions runner: one collapsible group per section, its duration after it. */
export class ActionsLogger implements Logger {
  constructor(private readonly clock: Clock = systemClock) {}

  info(message: string): void {
    core.info(message);
  }
  warn(message: string): void {
    core.warning(message);
  }
  error(message: string): void {
    core.error(message);
  }
  output(line: string): void {
    core.info(line);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const started = this.clock.now();
    core.startGroup(title);
    let ok = false;
    try {
      const result = await fn();
      ok = true;
      return result;
    } finally {
      core.endGroup();
      core.info(`${title}: ${ok ? "done in" : "failed after"} ${formatDuration(this.clock.now() - started)}`);
    }
  }
}
