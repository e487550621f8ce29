// Every message the business-tags buildpack shows a user: what happened and what to do.
import { BuildpackError } from "#libcnb";

const FORMAT =
  "business-tags.yaml is a flat map of label names to values:\n\n" +
  "    team: vision\n" +
  "    cost-center: 4711\n" +
  "    com.example.owner: jane@example.com\n";

export function badYaml(file: string, line: number, message: string): BuildpackError {
  return new BuildpackError({
    title: `${file} is not valid YAML (line ${line})`,
    body: `The YAML parser says: ${message}\n\n${FORMAT}\nFix line ${line} of ${file}.`,
    file,
    line,
  });
}

export function notAMap(file: string, line: number): BuildpackError {
  return new BuildpackError({
    title: `${file} must be a map of label names to values`,
    body: `${file} holds a list or a single value, not a map.\n\n${FORMAT}`,
    file,
    line,
  });
}

export function badKey(file: string, line: number, key: string): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line}: ${JSON.stringify(key)} is not a valid label name`,
    body:
      "Label names are lowercase letters and digits, separated by single dots or hyphens, starting with a\n" +
      'letter and ending with a letter or digit (e.g. "team", "cost-center", "com.example.owner").\n\n' +
      `Rename the key on line ${line}.`,
    file,
    line,
  });
}

export function reservedKey(file: string, line: number, key: string, prefix: string): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line}: ${key} uses the reserved prefix ${prefix}`,
    body: `Labels starting with ${prefix} are set by the build tooling, not by apps. Use your own prefix\n(e.g. com.example.) or a plain name.`,
    file,
    line,
  });
}

export function notAString(file: string, line: number, key: string): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line}: the value of ${key} is a nested map or list`,
    body:
      `Image labels are flat strings, so ${key} must have a single value (a string, number or boolean).\n\n` +
      `${FORMAT}\nFlatten it, e.g. "${key}.part: value" for each part.`,
    file,
    line,
  });
}

export function emptyValue(file: string, line: number, key: string): BuildpackError {
  return new BuildpackError({
    title: `${file} line ${line}: ${key} has no value`,
    body: `Give ${key} a value, or remove the line.`,
    file,
    line,
  });
}

export function missingRequired(
  file: string,
  missing: string[],
  required: string[],
  exists: boolean,
): BuildpackError {
  return new BuildpackError({
    title: `Required business tag${missing.length > 1 ? "s" : ""} missing: ${missing.join(", ")}`,
    body:
      `This platform requires every image to carry these tags: ${required.join(", ")}\n` +
      `(build env BP_REQUIRED_BUSINESS_TAGS). ${exists ? `${file} lacks` : `The app has no ${file}, so it lacks`}: ${missing.join(", ")}.\n\n` +
      `Add ${exists ? "them" : `${file} with them`}, e.g.\n\n${missing.map((m) => `    ${m}: <value>`).join("\n")}\n`,
    file,
  });
}

/** The file is larger than any hand-written one (often a generated or binary file under that name). */
export function tooLarge(file: string, size: number, limit: number): BuildpackError {
  return new BuildpackError({
    title: `${file} is too large (${size} bytes)`,
    body:
      `${file} holds ${size} bytes; a business-tags.yaml is a short map of labels and is read only up to ${limit} bytes. A file this size is usually a\n` +
      "generated or binary file committed under that name.\n\n" +
      `What to do: keep only the label names and values in ${file}; they end up as image labels, which registries\n` +
      "and tools expect to be small.",
    file,
  });
}
