// Is an explicit lock still what environment.yml asks for? When an app has both, the build installs
// the lock exactly; a dependency added to (or re-pinned in) environment.yml after the lock was made
// would silently be missing from the image. conda-lock's `# input_hash:` header cannot be recomputed
// outside conda-lock (it hashes its own internal model of the spec), so the check compares package
// sets: every environment.yml dependency must be in the lock, at a version its spec accepts.
import { parseConstraint, satisfies } from "#pybuild/python-constraint";
import type { EnvironmentSpec } from "./environment.js";
import type { ExplicitPackage } from "./explicit.js";

export interface LockedPackage {
  name: string;
  version: string;
  build: string;
  line: number;
}

/** ".../numpy-2.2.6-py311_0.conda" -> numpy 2.2.6 py311_0 (conda file names are name-version-build). */
export function lockedPackage(p: ExplicitPackage): LockedPackage | undefined {
  const file = p.url.slice(p.url.lastIndexOf("/") + 1).replace(/\.(?:conda|tar\.bz2)$/, "");
  const m = /^(.+)-([^-]+)-([^-]+)$/.exec(file);
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  return { name: m[1].toLowerCase(), version: m[2], build: m[3], line: p.line };
}

export interface MatchSpec {
  name: string;
  /** The version part in PEP 440-like form for python-constraint.ts; undefined = any version. */
  version?: string;
}

/**
 * The name and version of a conda match spec, in the forms environment.yml files use:
 * "numpy", "numpy=2.2" (2.2.*), "numpy==2.2.6", "numpy>=2,<3", "numpy 2.2.*", "numpy=2.2.6=py311_0",
 * "conda-forge::numpy", "numpy[version='>=2']" (name only: the bracket form is left to the tool).
 */
export function parseMatchSpec(spec: string): MatchSpec | undefined {
  const trimmed = spec.trim().replace(/\s+#.*$/, "");
  // "conda-forge::numpy": the channel is the tool's business; the name is after the last "::".
  const s = trimmed.includes("::") ? trimmed.slice(trimmed.lastIndexOf("::") + 2) : trimmed;
  const m = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*(.*)$/.exec(s);
  if (!m?.[1]) return undefined;
  const name = m[1].toLowerCase();
  // ">= 2" -> ">=2", so that whitespace only separates the version from a build string.
  const rest = (m[2] ?? "").trim().replace(/([<>=!~]=?)\s+/g, "$1");
  if (rest === "" || rest.startsWith("[")) return { name };
  if (/^=[^=]/.test(rest)) {
    // A single "=" is conda's fuzzy match ("=2.2" means 2.2.*); a second "=" starts the build string.
    const v = rest.slice(1).split(/[=\s]/)[0] ?? "";
    return { name, version: v.endsWith("*") ? v : `${v}.*` };
  }
  return { name, version: rest.split(/\s+/)[0] ?? "" };
}

export interface StaleEntry {
  /** environment.yml line of the dependency. */
  line: number;
  spec: string;
  /** The locked package of that name, when there is one (at a version the spec excludes). */
  locked?: LockedPackage;
}

/**
 * Pure: the environment.yml dependencies the lock does not satisfy. A version the check cannot compare
 * (non-numeric, or a spec form it does not parse) counts as satisfied: the name is still checked.
 */
export function staleEntries(env: EnvironmentSpec, lock: readonly ExplicitPackage[]): StaleEntry[] {
  const locked = new Map<string, LockedPackage>();
  for (const p of lock) {
    const pkg = lockedPackage(p);
    if (pkg) locked.set(pkg.name, pkg);
  }
  const stale: StaleEntry[] = [];
  for (const dep of env.dependencies) {
    const spec = parseMatchSpec(dep.value);
    if (!spec) continue;
    const pkg = locked.get(spec.name);
    if (!pkg) {
      stale.push({ line: dep.line, spec: dep.value });
      continue;
    }
    if (spec.version === undefined || !/^\d+(?:\.\d+)*$/.test(pkg.version)) continue;
    const constraint = parseConstraint(spec.version);
    if (constraint && !satisfies(pkg.version, constraint))
      stale.push({ line: dep.line, spec: dep.value, locked: pkg });
  }
  return stale;
}
