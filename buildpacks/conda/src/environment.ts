// environment.yml: name, channels and dependencies (conda match specs), read with line numbers so a
// broken file is reported where it breaks. The solver validates the specs themselves.

import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { BuildpackError } from "#libcnb";
import { refuseDeepNesting } from "#libcnb/yaml-nesting";
import * as errors from "./errors.js";

export interface Entry {
  value: string;
  line: number;
}

export interface EnvironmentSpec {
  file: string;
  name: string | undefined;
  /** As written: names (conda-forge) or URLs. Empty when the file has no channels key. */
  channels: Entry[];
  dependencies: Entry[];
  /** The `- pip:` section's requirements (empty without one) and the line it starts on. */
  pip: Entry[];
  pipLine?: number;
}

/** Thousands of specs fit in 1 MiB; a larger file is not hand-written, and YAML this size parses slowly. */
const MAX_BYTES = 1024 * 1024;

export function parseEnvironment(text: string, file: string): EnvironmentSpec {
  const size = Buffer.byteLength(text);
  if (size > MAX_BYTES)
    throw new BuildpackError({
      title: `${file} is too large (${size} bytes)`,
      body:
        `${file} holds ${size} bytes; a conda environment file lists channels and package specs and is read\n` +
        `only up to ${MAX_BYTES} bytes. A file this size is usually a generated or binary file under that name.\n\n` +
        `What to do: keep the channels and the packages your app needs in ${file} (or commit a conda lock).`,
      file,
    });
  refuseDeepNesting(text, file);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined) =>
    node?.range?.[0] === undefined ? 1 : lc.linePos(node.range[0]).line;
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line ?? lc.linePos(err.pos[0]).line;
    throw errors.badYaml(file, line, err.message.split("\n")[0] ?? err.message);
  }
  const root = doc.contents;
  if (!isMap(root)) throw errors.notAMap(file, lineOf(root));
  const get = (key: string) => root.items.find((p) => isScalar(p.key) && p.key.value === key);

  const entryText = (line: number) => (text.split("\n")[line - 1] ?? "").trim().replace(/^-\s*/, "");
  const pip: Entry[] = [];
  let pipLine: number | undefined;

  const strings = (key: string, node: unknown, keyLine: number): Entry[] => {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) throw errors.notAList(file, keyLine, key);
    const out: Entry[] = [];
    for (const item of node.items) {
      const line = lineOf(item as Node);
      const pipPair = isMap(item) && item.items.length === 1 ? item.items[0] : undefined;
      if (key === "dependencies" && pipPair && isScalar(pipPair.key) && pipPair.key.value === "pip") {
        // `- pip: [...]`: PyPI requirements pip installs into the environment after the conda packages.
        pipLine = line;
        pip.push(...strings("pip", pipPair.value, line));
        continue;
      }
      if (!isScalar(item) || typeof item.value === "object" || String(item.value).trim() === "")
        throw errors.badEntry(file, line, key, entryText(line));
      out.push({ value: String(item.value).trim(), line });
    }
    return out;
  };

  const deps = get("dependencies");
  if (!deps) throw errors.missingDependencies(file);
  const dependencies = strings("dependencies", deps.value, lineOf(deps.key as Node));
  if (dependencies.length === 0) throw errors.missingDependencies(file);
  const ch = get("channels");
  const channels = ch ? strings("channels", ch.value, lineOf(ch.key as Node)) : [];
  const nameNode = get("name")?.value;
  const name = isScalar(nameNode) && nameNode.value !== null ? String(nameNode.value) : undefined;
  return { file, name, channels, dependencies, pip, ...(pipLine !== undefined ? { pipLine } : {}) };
}
