// business-tags.yaml: a flat YAML map of label names to values, e.g.
//   team: vision
//   cost-center: 4711        # numbers and booleans are kept as written, as strings
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { refuseDeepNesting } from "#libcnb/yaml-nesting";
import * as errors from "./errors.js";

export const TAGS_FILE = "business-tags.yaml";
/** Labels, not data: a YAML file this size is also slow to parse. */
const MAX_BYTES = 256 * 1024;

export interface Tag {
  key: string;
  value: string;
  line: number;
}

/**
 * Label keys as Docker and OCI tooling recommend them: lowercase letters and digits, separated by single
 * "." or "-", starting with a letter and ending with a letter or digit (e.g. "team", "com.example.cost-center").
 */
export const LABEL_KEY = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/;

/** Prefixes that belong to the lifecycle, Docker or this project. */
export const RESERVED_PREFIXES = [
  "io.buildpacks.",
  "com.docker.",
  "io.docker.",
  "org.dockerproject.",
  "dev.ml-buildpacks.",
];

export function parseTags(text: string, file = TAGS_FILE): Tag[] {
  const size = Buffer.byteLength(text);
  if (size > MAX_BYTES) throw errors.tooLarge(file, size, MAX_BYTES);
  refuseDeepNesting(text, file);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lc.linePos(offset).line);
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line ?? lineOf(err.pos[0]);
    throw errors.badYaml(file, line, err.message.split("\n")[0] ?? err.message);
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) return [];
  if (!isMap(root)) throw errors.notAMap(file, lineOf(root.range?.[0]));
  const tags: Tag[] = [];
  for (const pair of root.items) {
    const keyNode = pair.key;
    const line = lineOf(isScalar(keyNode) ? keyNode.range?.[0] : undefined);
    if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === "object") {
      throw errors.badKey(file, line, String(keyNode));
    }
    const key = String(keyNode.source ?? keyNode.value);
    if (!LABEL_KEY.test(key)) throw errors.badKey(file, line, key);
    const reserved = RESERVED_PREFIXES.find((p) => key.startsWith(p));
    if (reserved) throw errors.reservedKey(file, line, key, reserved);
    const v = pair.value;
    if (!isScalar(v)) throw errors.notAString(file, line, key);
    // Plain scalars keep their text (00123 stays "00123", 1.50 stays "1.50"); quoted ones their value.
    const value = v.type === "PLAIN" && typeof v.source === "string" ? v.source : v.value;
    if (value === null || value === undefined || value === "") throw errors.emptyValue(file, line, key);
    if (typeof value === "object") throw errors.notAString(file, line, key);
    tags.push({ key, value: String(value), line });
  }
  return tags;
}

/** BP_REQUIRED_BUSINESS_TAGS="team, cost-center" -> ["team", "cost-center"]. */
export function requiredTags(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
