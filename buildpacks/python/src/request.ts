// Which Python the app asks for. The first of these files that names a version wins:
//   1. .python-version                 "3.12", "3.12.4" (pyenv's format; "system" = the stack's)
//   2. pyproject.toml                   [project] requires-python = ">=3.11,<3.13"   (PEP 440)
//   3. Pipfile                          [requires] python_full_version / python_version
//   4. environment.yml                  dependencies: - python=3.12 (conda match spec)
// None of them: the stack's Python. Every request keeps its file and line for messages.
import { type AppFiles, isTable, parseToml, TomlSyntaxError } from "../../../src/libcnb/index.js";
import * as errors from "./errors.js";
import { parseVersionFile, VERSION_FILE } from "./python-version.js";
import { type Clause, parseSpecifiers, specifiersMatch } from "./specifiers.js";

export const PYPROJECT = "pyproject.toml";
export const PIPFILE = "Pipfile";
export const ENVIRONMENT_YML = "environment.yml";

export interface PythonRequest {
  file: string;
  /** 1-based line of the version in the file, when it could be found. */
  line: number | undefined;
  /** As written, e.g. "3.12", ">=3.11,<3.13", "python=3.12". */
  text: string;
  /** Every clause must hold. Empty for "system": any Python, so the stack's. */
  clauses: Clause[];
}

export function requestMatches(version: string, request: PythonRequest): boolean {
  return specifiersMatch(version, request.clauses);
}

/** "3.12" -> ==3.12.*, "3.12.4" -> ==3.12.4, "3" -> ==3.* (what pyenv and Pipfile mean). */
export function versionPrefixClause(version: string): Clause {
  const release = version.split(".").map(Number);
  const wildcard = release.length < 3;
  return { op: "==", release, wildcard, text: wildcard ? `==${version}.*` : `==${version}` };
}

export function readPythonRequest(app: AppFiles): PythonRequest | undefined {
  return fromVersionFile(app) ?? fromPyproject(app) ?? fromPipfile(app) ?? fromEnvironmentYml(app);
}

export function fromVersionFile(app: AppFiles): PythonRequest | undefined {
  const text = app.readText(VERSION_FILE);
  if (text === undefined) return undefined;
  const req = parseVersionFile(text);
  if (!req) {
    const line = text.split(/\r?\n/).findIndex((l) => l.replace(/#.*$/, "").trim() === "system") + 1;
    return { file: VERSION_FILE, line: line || undefined, text: "system", clauses: [] };
  }
  return { file: VERSION_FILE, line: req.line, text: req.text, clauses: [versionPrefixClause(req.text)] };
}

function parseTomlFile(file: string, text: string) {
  try {
    return parseToml(text, file);
  } catch (err) {
    if (err instanceof TomlSyntaxError) throw errors.invalidToml(file, err.line, err.message);
    throw err;
  }
}

/** 1-based line of `key = ...` inside the [table] section of a TOML text, or undefined. */
export function tomlKeyLine(text: string, table: string, key: string): number | undefined {
  let current = "";
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? "";
    const header = /^\s*\[\s*([^[\]]+?)\s*\]\s*(?:#.*)?$/.exec(l);
    if (header?.[1]) {
      current = header[1].replace(/["']/g, "").replace(/\s*\.\s*/g, ".");
      continue;
    }
    const k = /^\s*["']?([A-Za-z0-9_-]+)["']?\s*=/.exec(l);
    if (current === table && k?.[1] === key) return i + 1;
  }
  return undefined;
}

export function fromPyproject(app: AppFiles): PythonRequest | undefined {
  const text = app.readText(PYPROJECT);
  if (text === undefined) return undefined;
  const toml = parseTomlFile(PYPROJECT, text);
  const project = toml.project;
  if (!isTable(project) || project["requires-python"] === undefined) return undefined;
  const value = project["requires-python"];
  const line = tomlKeyLine(text, "project", "requires-python");
  if (typeof value !== "string") {
    throw errors.invalidRequiresPython(PYPROJECT, line, JSON.stringify(value));
  }
  const clauses = parseSpecifiers(value);
  if (!clauses) throw errors.invalidRequiresPython(PYPROJECT, line, value);
  return { file: PYPROJECT, line, text: value.trim(), clauses };
}

export function fromPipfile(app: AppFiles): PythonRequest | undefined {
  const text = app.readText(PIPFILE);
  if (text === undefined) return undefined;
  const requires = parseTomlFile(PIPFILE, text).requires;
  if (!isTable(requires)) return undefined;
  // pipenv prefers the full version when both are there.
  for (const key of ["python_full_version", "python_version"]) {
    const value = requires[key];
    if (value === undefined) continue;
    const line = tomlKeyLine(text, "requires", key);
    const v = typeof value === "string" ? value.trim() : "";
    const want = key === "python_full_version" ? /^\d+\.\d+\.\d+$/ : /^\d+(?:\.\d+){0,2}$/;
    if (!want.test(v)) throw errors.invalidPipfileVersion(key, line, JSON.stringify(value));
    return { file: PIPFILE, line, text: v, clauses: [versionPrefixClause(v)] };
  }
  return undefined;
}

const CONDA_PYTHON = /^\s*-\s*(["']?)(?:[\w.-]+::)?python(?![\w.-])\s*(.*?)\1\s*(?:#.*)?$/;

/**
 * The python entry of an environment.yml's dependencies (line-based: no YAML parser needed for one
 * list item). Conda match specs: "python=3.12" (3.12.*), "python=3.12.4", "python==3.12.4",
 * "python>=3.10,<3.13", "python 3.12.*", "python=3.12=<build>".
 */
export function fromEnvironmentYml(app: AppFiles): PythonRequest | undefined {
  const text = app.readText(ENVIRONMENT_YML);
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = CONDA_PYTHON.exec(lines[i] ?? "");
    if (!m) continue;
    const spec = (m[2] ?? "").trim();
    const line = i + 1;
    if (spec === "") return undefined; // "- python": any version
    const clauses = condaSpecClauses(spec);
    const item = (lines[i] ?? "")
      .replace(/^\s*-\s*/, "")
      .replace(/\s#.*$/, "")
      .replace(/["']/g, "")
      .trim();
    if (!clauses) throw errors.invalidCondaPython(ENVIRONMENT_YML, line, item);
    return { file: ENVIRONMENT_YML, line, text: item, clauses };
  }
  return undefined;
}

export function condaSpecClauses(spec: string): Clause[] | undefined {
  // "=3.12" / "=3.12.*" / "=3.12=build" / "3.12" / "3.12.*": fuzzy, i.e. a prefix match.
  const fuzzy = /^(?:=\s*)?(\d+(?:\.\d+){0,2})(?:\.\*)?(?:=\S+)?$/.exec(spec);
  if (fuzzy?.[1] && !spec.startsWith("==")) {
    const release = fuzzy[1].split(".").map(Number);
    return [{ op: "==", release, wildcard: true, text: `==${fuzzy[1]}.*` }];
  }
  if (spec.includes("|")) return undefined;
  return parseSpecifiers(spec);
}
