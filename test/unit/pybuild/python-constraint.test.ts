import { describe, expect, it } from "vitest";
import {
  checkPython,
  describeRequirements,
  unmetRequirements,
} from "../../../src/pybuild/python-constraint.js";

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
    // Forms it does not parse: never a false failure
    ["3.13.5", ">=3.14.0rc1", "unknown"],
    ["3.13.5", "python>=3", "unknown"],
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
