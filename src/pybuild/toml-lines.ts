// Where a key is written in a TOML file, for messages that name the line (TOML parsers give values, not lines).

/**
 * 1-based line of `key = ...` inside TOML table `table` ("" for the top level), found textually
 * (the TOML parser keeps no positions); undefined when not found.
 */
export function tomlKeyLine(text: string, table: string, key: string): number | undefined {
  let current = "";
  const lines = text.split(/\r?\n/);
  const keyRe = new RegExp(`^\\s*["']?${key.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")}["']?\\s*=`);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/.exec(line);
    if (header?.[1]) {
      current = header[1].replace(/\s*\.\s*/g, ".").replace(/["']/g, "");
      continue;
    }
    if (current === table && keyRe.test(line)) return i + 1;
  }
  return undefined;
}
