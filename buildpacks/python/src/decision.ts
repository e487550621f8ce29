// One Python for every constraint the app declares (request.ts reads them):
//   - nothing declared, or .python-version "system": the stack's Python (Debian's, which a rebase keeps
//     patched); with nothing declared the log recommends a pin;
//   - a pin (.python-version, else runtime.txt, else Pipfile's python_full_version / python_version,
//     else environment.yml's python=X) picks the version: a minor ("3.13") gets its newest patch in the
//     manifest, an exact version ("3.10.0") exactly that build; every other constraint must hold for it;
//   - ranges only (requires-python, Poetry's python): the stack's Python when it satisfies all of them,
//     else the newest version in the manifest that does.
// Constraints that cannot all hold are an error before anything is installed, naming each file, line
// and what to change.
import * as errors from "./errors.js";
import { type Constraint, constraintMatches, describeConstraint as describe, where } from "./request.js";

export type Decision =
  | { kind: "stack"; version: string; reason: string; recommendPin: boolean }
  | { kind: "download"; version: string; reason: string };

export interface DecisionInputs {
  stackVersion: string;
  /** Versions the manifest has for this arch, newest first. */
  available: readonly string[];
  /** "linux/amd64", for messages. */
  platform: string;
  /** "3.10 (3.10.0 to 3.10.22), ...", for messages. */
  describeAvailable: string;
  manifest: { source: string; builtin: boolean };
  /** The files looked at, for the "nothing requested" line. */
  sources: string;
}

function minor(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

/** 2.7.x and 3.0.0 to 3.40.40: enough to tell contradictory ranges and end-of-life requests apart. */
const GRID: readonly string[] = (() => {
  const grid: string[] = [];
  for (let p = 0; p <= 18; p++) grid.push(`2.7.${p}`);
  for (let m = 0; m <= 40; m++) for (let p = 0; p <= 40; p++) grid.push(`3.${m}.${p}`);
  return grid;
})();

const allHold = (v: string, cs: readonly Constraint[]) => cs.every((c) => constraintMatches(v, c));

export function decidePython(constraints: readonly Constraint[], inputs: DecisionInputs): Decision {
  const { stackVersion, available } = inputs;
  if (constraints.length === 0) {
    return {
      kind: "stack",
      version: stackVersion,
      reason: `No Python version requested (looked at ${inputs.sources}): using the stack's Python ${stackVersion}`,
      recommendPin: true,
    };
  }
  const pin = constraints.find((c) => c.pin);
  const others = constraints.filter((c) => c !== pin);
  if (pin?.system) {
    const broken = others.filter((c) => !constraintMatches(stackVersion, c));
    if (broken.length > 0) throw conflict(pin, stackVersion, broken, others, inputs);
    return {
      kind: "stack",
      version: stackVersion,
      reason: `${where(pin)} asks for "system": using the stack's Python ${stackVersion}${satisfiedBy(others)}`,
      recommendPin: false,
    };
  }
  if (pin) {
    const forPin = available.filter((v) => constraintMatches(v, pin));
    if (forPin.length === 0) throw unavailable([pin], inputs);
    const fits = forPin.filter((v) => allHold(v, others));
    const chosen = fits[0];
    if (chosen === undefined) throw conflict(pin, forPin[0] ?? "", brokenBy(forPin, others), others, inputs);
    const exact = pin.alternatives[0]?.[0]?.wildcard === false;
    const what = exact ? "that exact build" : `the newest ${pin.text} patch release this buildpack pins`;
    return {
      kind: "download",
      version: chosen,
      reason: `${where(pin)} asks for Python ${pin.text}: installing ${chosen}, ${what}${satisfiedBy(others)}`,
    };
  }
  if (allHold(stackVersion, constraints)) {
    return {
      kind: "stack",
      version: stackVersion,
      reason: `The stack's Python ${stackVersion} satisfies ${constraints.map(describe).join("; ")}: using it`,
      recommendPin: false,
    };
  }
  const chosen = available.find((v) => allHold(v, constraints));
  if (chosen !== undefined) {
    return {
      kind: "download",
      version: chosen,
      reason:
        `The stack's Python ${stackVersion} does not satisfy ${constraints.map(describe).join("; ")}: ` +
        `installing ${chosen}, the newest version that does`,
    };
  }
  if (constraints.length > 1 && !GRID.some((v) => allHold(v, constraints))) {
    throw errors.rangesDisagree(constraints.map(describe));
  }
  throw unavailable(constraints, inputs);
}

function satisfiedBy(others: readonly Constraint[]): string {
  return others.length === 0 ? "" : ` (also allowed by ${others.map((c) => where(c)).join(", ")})`;
}

/** The constraints that rule out every version the pin allows (else those that rule out its newest). */
function brokenBy(forPin: readonly string[], others: readonly Constraint[]): Constraint[] {
  const alone = others.filter((c) => !forPin.some((v) => constraintMatches(v, c)));
  if (alone.length > 0) return alone;
  const newest = forPin[0] ?? "";
  return others.filter((c) => !constraintMatches(newest, c));
}

/** What the pin should say instead: the newest version every other constraint allows, at its precision. */
function pinSuggestion(
  pin: Constraint,
  others: readonly Constraint[],
  inputs: DecisionInputs,
): string | undefined {
  const pool = pin.system ? [inputs.stackVersion, ...inputs.available] : inputs.available;
  const best = pool.find((v) => allHold(v, others));
  if (best === undefined) return undefined;
  const exact = pin.system || pin.alternatives[0]?.[0]?.wildcard === false;
  return exact ? best : minor(best);
}

function conflict(
  pin: Constraint,
  version: string,
  broken: readonly Constraint[],
  others: readonly Constraint[],
  inputs: DecisionInputs,
): Error {
  return errors.pinConflict({
    pin: { ...pin, described: describe(pin) },
    version,
    broken: broken.map((c) => ({ ...c, described: describe(c) })),
    suggestion: pinSuggestion(pin, others, inputs),
  });
}

function unavailable(constraints: readonly Constraint[], inputs: DecisionInputs): Error {
  const first = constraints[0];
  const req = {
    file: first?.file ?? "",
    line: first?.line,
    text: constraints.map((c) => c.text).join(" and "),
  };
  const example = minor(inputs.available[0] ?? inputs.stackVersion);
  const endOfLife =
    GRID.some((v) => allHold(v, constraints)) &&
    GRID.every((v) => !allHold(v, constraints) || minorNumber(v) < 10);
  if (endOfLife)
    return errors.endOfLife(req, inputs.stackVersion, inputs.describeAvailable, inputs.platform, example);
  return errors.unknownVersion(
    req,
    inputs.stackVersion,
    inputs.describeAvailable,
    inputs.platform,
    example,
    inputs.manifest,
  );
}

function minorNumber(v: string): number {
  const [major, m] = v.split(".").map(Number);
  return major === 3 ? (m ?? 0) : -1;
}
