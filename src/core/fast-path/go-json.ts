// JSON as Go's encoding/json writes it, for configs and labels the platform pushes in place of the
// lifecycle's: an app-layer swap must give the bytes a full build's exporter would, or the image ID
// differs. Go escapes <, >, & and U+2028/U+2029 and writes control characters other than \n, \r and
// \t as \u00XX; object keys keep the order given (a config read back keeps the exporter's order).

const ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Pure: a string literal as Go writes it. */
export function goString(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Go escapes exactly these
  const escaped = s.replace(/[\u0000-\u001f"\\<>&\u2028\u2029]/g, (c) => {
    return ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return `"${escaped}"`;
}

/** Pure: compact JSON as Go's json.Marshal writes it (undefined members left out, as JSON.stringify does). */
export function goJson(value: unknown): string {
  if (typeof value === "string") return goString(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : goJson(v))).join(",")}]`;
  if (value && typeof value === "object") {
    const members = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${members.map(([k, v]) => `${goString(k)}:${goJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
