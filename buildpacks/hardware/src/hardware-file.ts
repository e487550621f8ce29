// hardware.txt: one of cpu, cuda, aws, coral on a line of its own; "#" comments and blank lines allowed.
import * as errors from "./errors.js";
import { type Hardware, isHardware } from "./hardware-values.js";

export type { Hardware };
export const HARDWARE_FILE = "hardware.txt";
/** One word and some comments; anything larger is not a hardware.txt. */
const MAX_BYTES = 64 * 1024;

export interface HardwareRequest {
  value: Hardware;
  line: number;
}

/** Strict: throws a BuildpackError (with file and line) for anything but exactly one known value. */
export function parseHardware(text: string, file = HARDWARE_FILE): HardwareRequest {
  const size = Buffer.byteLength(text);
  if (size > MAX_BYTES) throw errors.tooLarge(file, size, MAX_BYTES);
  const values: { text: string; line: number }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const v = raw.replace(/(^|\s)#.*$/, "").trim();
    if (v) values.push({ text: v, line: i + 1 });
  });
  const first = values[0];
  if (!first) throw errors.emptyFile(file);
  if (values.length > 1) throw errors.severalValues(file, values);
  const v = first.text.toLowerCase();
  if (!isHardware(v)) throw errors.unknownHardware(file, first.line, first.text);
  return { value: v, line: first.line };
}

/** Lenient, for detect: the value if the file is valid, else undefined (build reports the problem). */
export function peekHardware(text: string): Hardware | undefined {
  try {
    return parseHardware(text).value;
  } catch {
    return undefined;
  }
}
