// Every Python version constraint the app declares, each with its file, line and setting for messages:
//   .python-version     "3.12", "3.12.4" (pyenv's format; "system" = the stack's)         pin
//   runtime.txt         "python-3.12.4" (Heroku's format, deprecated)                       pin
//   Pipfile             [requires] python_full_version = "3.12.4" / python_version = "3.12" pin
//   environment.yml     dependencies: - python=3.12 (conda match spec; "=" / "==" forms)   pin
//                       - python>=3.11,<3.13                                                range
//   pyproject.toml      [project] requires-python = ">=3.11,<3.13"   (PEP 440)              range
//                       [tool.poetry.dependencies] python = "^3.11"  (Poetry's syntax)      range
// Pins name a version; ranges say which versions work. decision.ts chooses one Python for all of them.
import { type AppFiles, isTable, parseToml, TomlSyntaxError } from "#libcnb";
import { type Clause, parseConstraint, parseSpecifiers, satisfies } from "#pybuild/python-constraint";
import { tomlKeyLine } from "#pybuild/toml-lines";
import * as errors from "./errors.js";
import { parseVersionFile, VERSION_FILE } from "./python-version.js";

export const PYPROJECT = "pyproject.toml";
export const PIPFILE = "Pipfile";
export const ENVIRONMENT_YML = "environment.yml";
export const RUNTIME_TXT = "runtime.txt";

/** The files a constraint may come from, for the "nothing requested" log line. */
export const CONSTRAINT_SOURCES =
  ".python-version, runtime.txt, pyproject.toml requires-python and [tool.poetry.dependencies] python, " +
  "Pipfile [requires], environment.yml";

export interface Constraint {
  file: string;
  /** 1-based line of the value in the file, when it could be found. */
  line: number | undefined;
  /** How to name the setting in messages: "requires-python", "[requires] python_version", ... */
  setting: string;
  /** As written, e.g. "3.12", ">=3.11,<3.13", "^3.11", "python=3.12". */
  text: string;
  /** Names a version (picks it) rather than a range of versions that work. */
  pin: boolean;
  /** "system" in .python-version: the stack's Python. */
  system: boolean;
  /** Any alternative (Poetry's "||") whose clauses all hold satisfies it; [[]] = any version. */
  alternatives: Clause[][];
}

export function constraintMatches(version: string, c: Constraint): boolean {
  return satisfies(version, c.alternatives);
}

/** "3.12" -> ==3.12.*, "3.12.4" -> ==3.12.4, "3" -> ==3.* (what pyenv and Pipfile mean). */
export function versionPrefixClause(version: string): Clause {
  const release = version.split(".").map(Number);
  const wildcard = release.length < 3;
  return { op: "==", release, wildcard, text: wildcard ? `==${version}.*` : `==${version}` };
}

/** "file (line N)" or "file". */
export function where(c: Pick<Constraint, "file" | "line">): string {
  return c.line ? `${c.file} line ${c.line}` : c.file;
}

/** 'pyproject.toml line 4: [project] requires-python = "3.12.*"', '.python-version line 1: "3.13"'. */
export function describeConstraint(c: Constraint): string {
  return `${where(c)}: ${c.setting === c.file ? "" : `${c.setting} = `}${JSON.stringify(c.text)}`;
}

export interface Constraints {
  /** Pins first, in the order they take precedence (the first one picks the version), then ranges. */
  constraints: Constraint[];
  /** Things to tell the user that don't stop the build (runtime.txt is deprecated). */
  warnings: { title: string; body: string }[];
}

export function readConstraints(app: AppFiles): Constraints {
  const warnings: Constraints["warnings"] = [];
  const runtime = fromRuntimeTxt(app);
  if (runtime) warnings.push(runtimeTxtDeprecated(runtime));
  const all = [
    fromVersionFile(app),
    runtime,
    ...fromPipfile(app),
    fromEnvironmentYml(app),
    ...fromPyproject(app),
  ].filter((c): c is Constraint => c !== undefined);
  return { constraints: [...all.filter((c) => c.pin), ...all.filter((c) => !c.pin)], warnings };
}

function runtimeTxtDeprecated(c: Constraint): { title: string; body: string } {
  return {
    title: `${RUNTIME_TXT} is deprecated: pin the version in ${VERSION_FILE} instead`,
    body:
      `${RUNTIME_TXT} (Heroku's format) still selects Python ${c.text.replace(/^python-/, "")}, but ` +
      `${VERSION_FILE} is the file pyenv, uv and other buildpacks read.\n` +
      `Write "${c.text.replace(/^python-/, "")}" into ${VERSION_FILE} and delete ${RUNTIME_TXT}.`,
  };
}

function pinFrom(file: string, line: number | undefined, setting: string, version: string): Constraint {
  return {
    file,
    line,
    setting,
    text: version,
    pin: true,
    system: false,
    alternatives: [[versionPrefixClause(version)]],
  };
}

export function fromVersionFile(app: AppFiles): Constraint | undefined {
  const text = app.readText(VERSION_FILE);
  if (text === undefined) return undefined;
  const req = parseVersionFile(text);
  if (!req) {
    const line = text.split(/\r?\n/).findIndex((l) => l.replace(/#.*$/, "").trim() === "system") + 1;
    return {
      file: VERSION_FILE,
      line: line || undefined,
      setting: VERSION_FILE,
      text: "system",
      pin: true,
      system: true,
      alternatives: [[]],
    };
  }
  return pinFrom(VERSION_FILE, req.line, VERSION_FILE, req.text);
}

/** Heroku's runtime.txt: one line "python-3.12.4" (or "python-3.12"). */
export function fromRuntimeTxt(app: AppFiles): Constraint | undefined {
  const text = app.readText(RUNTIME_TXT);
  if (text === undefined) return undefined;
  const lines = text
    .split(/\r?\n/)
    .map((l, i) => ({ value: l.trim(), line: i + 1 }))
    .filter((l) => l.value !== "");
  const [first, extra] = lines;
  const m = /^python-(\d+\.\d+(?:\.\d+)?)$/.exec(first?.value ?? "");
  if (!m?.[1] || extra) {
    const bad = m?.[1] ? extra : first;
    throw errors.invalidRuntimeTxt(RUNTIME_TXT, bad?.line, bad?.value ?? "");
  }
  return pinFrom(RUNTIME_TXT, first?.line, RUNTIME_TXT, m[1]);
}

function parseTomlFile(file: string, text: string) {
  try {
    return parseToml(text, file);
  } catch (err) {
    if (err instanceof TomlSyntaxError) throw errors.invalidToml(file, err.line, err.message);
    throw err;
  }
}

/** requires-python and Poetry's python dependency (both ranges). */
export function fromPyproject(app: AppFiles): Constraint[] {
  const text = app.readText(PYPROJECT);
  if (text === undefined) return [];
  const toml = parseTomlFile(PYPROJECT, text);
  const found: Constraint[] = [];
  const project = toml.project;
  if (isTable(project) && project["requires-python"] !== undefined)
    found.push(
      rangeConstraint(text, "project", "requires-python", project["requires-python"], {
        // "3.12.*" without "==" is not PEP 440, but common and unambiguous (uv reads it too).
        parse: (v) => {
          const clauses = parseSpecifiers(v.replace(/^\s*(\d+(?:\.\d+)*\.\*)\s*$/, "==$1"));
          return clauses && [clauses];
        },
        invalid: errors.invalidRequiresPython,
      }),
    );
  const tool = toml.tool;
  const deps = isTable(tool) && isTable(tool.poetry) ? tool.poetry.dependencies : undefined;
  if (isTable(deps) && deps.python !== undefined)
    found.push(
      rangeConstraint(text, "tool.poetry.dependencies", "python", deps.python, {
        parse: parseConstraint,
        invalid: errors.invalidPoetryPython,
      }),
    );
  return found;
}

/** A range setting of pyproject.toml (`[table] key`), parsed or refused with its line. */
function rangeConstraint(
  text: string,
  table: string,
  key: string,
  value: unknown,
  how: {
    parse: (v: string) => Clause[][] | undefined;
    invalid: (file: string, line: number | undefined, value: string) => Error;
  },
): Constraint {
  const line = tomlKeyLine(text, table, key);
  const alternatives = typeof value === "string" ? how.parse(value) : undefined;
  if (typeof value !== "string" || !alternatives)
    throw how.invalid(PYPROJECT, line, typeof value === "string" ? value : JSON.stringify(value));
  const setting = `[${table}] ${key}`;
  return { file: PYPROJECT, line, setting, text: value.trim(), pin: false, system: false, alternatives };
}

/** python_full_version, then python_version (pipenv prefers the full version); both must hold. */
export function fromPipfile(app: AppFiles): Constraint[] {
  const text = app.readText(PIPFILE);
  if (text === undefined) return [];
  const requires = parseTomlFile(PIPFILE, text).requires;
  if (!isTable(requires)) return [];
  const found: Constraint[] = [];
  for (const key of ["python_full_version", "python_version"]) {
    const value = requires[key];
    if (value === undefined) continue;
    const line = tomlKeyLine(text, "requires", key);
    const v = typeof value === "string" ? value.trim() : "";
    const want = key === "python_full_version" ? /^\d+\.\d+\.\d+$/ : /^\d+(?:\.\d+){0,2}$/;
    if (!want.test(v)) throw errors.invalidPipfileVersion(key, line, JSON.stringify(value));
    found.push(pinFrom(PIPFILE, line, `[requires] ${key}`, v));
  }
  return found;
}

const CONDA_PYTHON = /^\s*-\s*(["']?)(?:[\w.-]+::)?python(?![\w.-])\s*(.*?)\1\s*(?:#.*)?$/;

/**
 * The python entry of an environment.yml's dependencies (line-based: no YAML parser needed for one
 * list item). Conda match specs: "python=3.12" (3.12.*), "python=3.12.4", "python==3.12.4" (pins),
 * "python>=3.10,<3.13", "python 3.12.*", "python=3.12=<build>".
 */
export function fromEnvironmentYml(app: AppFiles): Constraint | undefined {
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
    const pin = clauses.length === 1 && clauses[0]?.op === "==";
    return {
      file: ENVIRONMENT_YML,
      line,
      setting: "dependencies: python",
      text: item,
      pin,
      system: false,
      alternatives: [clauses],
    };
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
