// Procfile: "<type>: <command>" per line, like Heroku's. Commands are shell lines, run with bash -c.
import type { Process } from "#libcnb";
import * as errors from "./errors.js";

export interface ProcfileEntry {
  type: string;
  command: string;
  line: number;
}

const LINE = /^([A-Za-z0-9_-]+)\s*:\s*(.*)$/;

/** Process lines, not scripts: anything larger is not a Procfile. */
const MAX_BYTES = 1024 * 1024;

export function parseProcfile(text: string, file = "Procfile"): ProcfileEntry[] {
  const size = Buffer.byteLength(text);
  if (size > MAX_BYTES) throw errors.tooLarge(file, size, MAX_BYTES);
  const entries: ProcfileEntry[] = [];
  const firstLine = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith("#")) return;
    const m = LINE.exec(trimmed);
    if (!m?.[1]) throw errors.procfileMalformedLine(file, line, trimmed);
    const type = m[1];
    const command = (m[2] ?? "").trim();
    if (!command) throw errors.procfileEmptyCommand(file, line, type);
    const first = firstLine.get(type);
    if (first !== undefined) throw errors.duplicateProcess(file, type, line, first);
    firstLine.set(type, line);
    entries.push({ type, command, line });
  });
  return entries;
}

/**
 * The launcher execs commands directly (Buildpack API 0.9+); a Procfile line is shell syntax
 * ($PORT, &&, pipes), so it runs as ["bash", "-c", line]. bash execs a lone simple command in place,
 * so signals still reach the app.
 */
export function shellProcess(type: string, line: string): Process {
  return { type, command: ["bash", "-c", line] };
}

export function procfileProcesses(entries: ProcfileEntry[]): Process[] {
  return entries.map((e) => shellProcess(e.type, e.command));
}
