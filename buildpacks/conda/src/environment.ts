// environment.yml: name, channels and dependencies (conda match specs), read with line numbers so a
// broken file is reported where it breaks. The solver validates the specs themselves.
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
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
}

export function parseEnvironment(text: string, file: string): EnvironmentSpec {
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

  const strings = (key: string, node: unknown, keyLine: number): Entry[] => {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) throw errors.notAList(file, keyLine, key);
    const out: Entry[] = [];
    for (const item of node.items) {
      const line = lineOf(item as Node);
      if (key === "dependencies" && isMap(item)) {
        const pip = item.items.find((p) => isScalar(p.key) && p.key.value === "pip");
        if (pip && item.items.length === 1) {
          const pkgs = isSeq(pip.value) ? pip.value.items.map((i) => String(isScalar(i) ? i.value : i)) : [];
          // Why not run pip: see errors.pipSectionUnsupported (and the README's conda section).
          throw errors.pipSectionUnsupported(file, line, pkgs);
        }
      }
      if (!isScalar(item) || typeof item.value === "object" || String(item.value).trim() === "")
        throw errors.badEntry(
          file,
          line,
          key,
          (text.split("\n")[line - 1] ?? "").trim().replace(/^-\s*/, ""),
        );
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
  return { file, name, channels, dependencies };
}
