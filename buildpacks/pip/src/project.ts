// Apps without a requirements file or lock: a package pip builds from the app dir (PEP 517/621
// pyproject.toml, or setup.py), installed with `pip install .` into the venv.

import type { AppFiles } from "#libcnb";
import { isTable, parseToml, TomlSyntaxError, type TomlTable } from "#libcnb";
import * as errors from "./errors.js";
import { sha256 } from "./requirements.js";

export const PYPROJECT = "pyproject.toml";
export const SETUP_PY = "setup.py";
export const SETUP_CFG = "setup.cfg";

export interface ProjectInstall {
  /** The file that makes the app a package: pyproject.toml, else setup.py. */
  file: string;
  /** sha256 over pyproject.toml, setup.py and setup.cfg (those present). */
  sha256: string;
  /** What builds it, for the log ("hatchling.build", "setuptools (setup.py)" ...). */
  backend: string;
  /** Log lines about choices made for the user (no lock, default backend). */
  notes: string[];
}

const POETRY_BACKEND = "poetry.core.masonry.api";

function parsePyproject(text: string): TomlTable {
  try {
    return parseToml(text, PYPROJECT);
  } catch (err) {
    if (err instanceof TomlSyntaxError) throw errors.pyprojectSyntax(PYPROJECT, err.message, err.line);
    throw err;
  }
}

/** 1-based line of a `[table]` header in the text, for errors. */
function headerLine(text: string, table: string): number | undefined {
  const i = text.split(/\r?\n/).findIndex((l) => l.trim().startsWith(`[${table}]`));
  return i < 0 ? undefined : i + 1;
}

/** Reads and checks what `pip install .` will build; throws a BuildpackError naming what to add. */
export function readProject(app: AppFiles): ProjectInstall {
  const digest = sha256(
    [PYPROJECT, SETUP_PY, SETUP_CFG].map((f) => `${f}\0${app.readText(f) ?? "(none)"}\0`).join(""),
  );
  const hasSetupPy = app.isFile(SETUP_PY);
  const text = app.isFile(PYPROJECT) ? app.readText(PYPROJECT) : undefined;
  if (text === undefined) {
    if (!hasSetupPy) throw errors.setupCfgOnly(SETUP_CFG);
    return { file: SETUP_PY, sha256: digest, backend: "setuptools (setup.py)", notes: [] };
  }
  const toml = parsePyproject(text);
  const buildSystem = toml["build-system"];
  const tool = toml.tool;
  const poetry = isTable(tool) && isTable(tool.poetry);
  const notes: string[] = [];
  let backend: string;
  if (isTable(buildSystem)) {
    if (!Array.isArray(buildSystem.requires)) {
      throw errors.buildSystemWithoutRequires(PYPROJECT, headerLine(text, "build-system"));
    }
    const named = buildSystem["build-backend"];
    backend = typeof named === "string" ? named : "setuptools (no build-backend in [build-system])";
    if (poetry && named === POETRY_BACKEND) {
      notes.push(
        `${PYPROJECT} is a Poetry project without poetry.lock: pip installs it through poetry-core,\n` +
          "resolving the newest versions [tool.poetry] allows. Commit poetry.lock (`poetry lock`) to\n" +
          "install the locked versions with the Poetry buildpack instead.",
      );
    }
  } else if (isTable(toml.project)) {
    backend = "setuptools (PEP 517's default: no [build-system])";
  } else if (hasSetupPy) {
    backend = "setuptools (setup.py)";
  } else {
    throw errors.notAPackage(PYPROJECT, poetry);
  }
  if (!notes.length) {
    notes.push(
      "No lockfile: pip resolves the newest versions your dependencies allow at each build.\n" +
        "For repeatable builds commit a lock (uv.lock, poetry.lock) or a pinned requirements.txt.",
    );
  }
  return { file: PYPROJECT, sha256: digest, backend, notes };
}
