import { describe, expect, it } from "vitest";
import {
  checkPython,
  describeRequirements,
  parseConstraint,
  parseSpecifiers,
  satisfies,
  specifiersMatch,
  unmetRequirements,
} from "#pybuild/python-constraint";

describe("PEP 440 specifiers (parseSpecifiers)", () => {
  it.each([
    [">=3.11", "3.11.0", true],
    [">=3.11", "3.10.18", false],
    [">=3.11,<3.13", "3.12.14", true],
    [">=3.11, <3.13", "3.13.0", false],
    ["<3.13", "3.12.99", true],
    ["<=3.12", "3.12.1", false],
    ["<=3.12", "3.12.0", true],
    [">3.12", "3.12.1", true],
    ["==3.12", "3.12.0", true],
    ["==3.12", "3.12.4", false],
    ["==3.12.*", "3.12.4", true],
    ["!=3.12.*", "3.12.4", false],
    ["!=3.12.1", "3.12.4", true],
    ["~=3.11", "3.13.2", true],
    ["~=3.11", "4.0.0", false],
    ["~=3.11.2", "3.11.9", true],
    ["~=3.11.2", "3.12.0", false],
    ["===3.12.4", "3.12.4", true],
    ["===3.12", "3.12.0", false],
  ])("%s matches %s: %s", (spec, version, ok) => {
    const clauses = parseSpecifiers(spec);
    if (!clauses) throw new Error(`did not parse ${spec}`);
    expect(specifiersMatch(version, clauses)).toBe(ok);
  });

  it.each(["3.12", "", ">=3.12rc1", "~=3", ">=3.12.*", ">= three", "^3.11", ">=3.10 <3.13"])(
    "rejects %j",
    (spec) => {
      expect(parseSpecifiers(spec)).toBeUndefined();
    },
  );
});

const VERSIONS = [
  "3.9.18",
  "3.10.0",
  "3.11.0",
  "3.11.2",
  "3.11.9",
  "3.12.0",
  "3.12.4",
  "3.13.1",
  "3.14.0",
  "4.0.0",
];

function allowed(text: string): string[] {
  const constraint = parseConstraint(text);
  if (!constraint) throw new Error(`not parsed: ${text}`);
  return VERSIONS.filter((v) => satisfies(v, constraint));
}

describe("Poetry constraints (parseConstraint)", () => {
  it.each([
    ["^3.11", ["3.11.0", "3.11.2", "3.11.9", "3.12.0", "3.12.4", "3.13.1", "3.14.0"]],
    ["^3.11.2", ["3.11.2", "3.11.9", "3.12.0", "3.12.4", "3.13.1", "3.14.0"]],
    ["~3.11", ["3.11.0", "3.11.2", "3.11.9"]],
    ["~3.11.2", ["3.11.2", "3.11.9"]],
    ["~3", ["3.9.18", "3.10.0", "3.11.0", "3.11.2", "3.11.9", "3.12.0", "3.12.4", "3.13.1", "3.14.0"]],
    ["3.12", ["3.12.0", "3.12.4"]],
    ["3.12.*", ["3.12.0", "3.12.4"]],
    ["3.12.4", ["3.12.4"]],
    ["=3.12.4", ["3.12.4"]],
    ["*", VERSIONS],
    [">=3.10,<3.12", ["3.10.0", "3.11.0", "3.11.2", "3.11.9"]],
    [">=3.10 <3.12", ["3.10.0", "3.11.0", "3.11.2", "3.11.9"]],
    [">= 3.12, < 3.13", ["3.12.0", "3.12.4"]],
    ["~3.10 || ^3.13", ["3.10.0", "3.13.1", "3.14.0"]],
    ["3.11.* | 3.13.*", ["3.11.0", "3.11.2", "3.11.9", "3.13.1"]],
    ["~=3.11.1", ["3.11.2", "3.11.9"]],
    ["!=3.11.2,^3.11", ["3.11.0", "3.11.9", "3.12.0", "3.12.4", "3.13.1", "3.14.0"]],
  ])("%s allows %j", (text, versions) => {
    expect(allowed(text)).toEqual(versions);
  });

  it("bumps the first non-zero component for a caret", () => {
    expect(parseConstraint("^0.2.1")?.[0]?.map((c) => c.text)).toEqual([">=0.2.1", "<0.3"]);
    expect(parseConstraint("^3")?.[0]?.map((c) => c.text)).toEqual([">=3", "<4"]);
  });

  it.each(["", "^3.x", "3.12 ||", "latest", ">=3.12rc1", "^", "^3.12.*"])("rejects %j", (text) => {
    expect(parseConstraint(text)).toBeUndefined();
  });
});

describe("checkPython", () => {
  it.each([
    // Poetry constraints
    ["3.13.5", "^3.14", "outside"],
    ["3.14.0", "^3.14", "ok"],
    ["4.0.0", "^3.11", "outside"],
    ["3.12.9", "~3.12", "ok"],
    ["3.13.0", "~3.12", "outside"],
    ["3.12.3", "~3.12.4", "outside"],
    ["3.13.5", ">=3.10 <3.13", "outside"],
    ["3.12.1", ">= 3.10, < 3.13", "ok"],
    ["3.13.5", "3.11.* || 3.12.*", "outside"],
    ["3.12.5", "3.11.* || 3.12.*", "ok"],
    ["3.12.5", "3.11 | 3.12", "ok"],
    ["3.13.5", "3.12", "outside"],
    ["3.12.7", "3.12", "ok"],
    ["3.13.5", "*", "ok"],
    // PEP 440 specifiers (requires-python)
    ["3.13.5", ">=3.11", "ok"],
    ["3.13.5", "==3.12.*", "outside"],
    ["3.12.0", "==3.12.*", "ok"],
    ["3.12.4", "~=3.12", "ok"],
    ["4.0.0", "~=3.12", "outside"],
    ["3.12.4", "~=3.12.1", "ok"],
    ["3.13.0", "~=3.12.1", "outside"],
    ["3.13.5", "!=3.13.*", "outside"],
    ["3.12.1", "==3.12.1", "ok"],
    ["3.12.2", "==3.12.1", "outside"],
    ["3.11.2", ">3.11", "ok"],
    ["3.11.0", ">3.11", "outside"],
    ["3.13.5", "<=3.13", "outside"],
    // An interpreter's pre-release compares by its release part.
    ["3.14.0rc1", ">=3.14", "ok"],
    // Forms it does not parse: never a false failure
    ["3.13.5", ">=3.14.0rc1", "unknown"],
    ["3.13.5", "python>=3", "unknown"],
    ["3.13.5", "", "unknown"],
  ])("%s in %s: %s", (version, text, expected) => {
    expect(checkPython(version, text)).toBe(expected);
  });

  it("^ keeps the first non-zero component", () => {
    expect(checkPython("0.4.0", "^0.3")).toBe("outside");
    expect(checkPython("0.3.9", "^0.3")).toBe("ok");
  });
});

describe("unmetRequirements / describeRequirements", () => {
  const reqs = [
    { file: "pyproject.toml", line: 12, setting: "[tool.poetry.dependencies] python", text: "^3.14" },
    { file: "pyproject.toml", line: 3, setting: "[project] requires-python", text: ">=3.11" },
    { file: "poetry.lock", setting: "[metadata] python-versions", text: "^3.14" },
    { file: "poetry.lock", setting: "[metadata] python-versions", text: "weird" },
  ];
  it("keeps the ones the version is outside of, and lists them aligned", () => {
    const unmet = unmetRequirements("3.13.5", reqs);
    expect(unmet.map((r) => r.text)).toEqual(["^3.14", "^3.14"]);
    expect(describeRequirements(unmet)).toBe(
      '  pyproject.toml:12  [tool.poetry.dependencies] python = "^3.14"\n' +
        '  poetry.lock        [metadata] python-versions = "^3.14"',
    );
  });
});
