import { describe, expect, it } from "vitest";
import { parseSpecifiers, specifiersMatch } from "../src/specifiers.js";

describe("PEP 440 specifiers", () => {
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
  ])("%s matches %s: %s", (spec, version, ok) => {
    const clauses = parseSpecifiers(spec);
    if (!clauses) throw new Error(`did not parse ${spec}`);
    expect(specifiersMatch(version, clauses)).toBe(ok);
  });

  it.each(["3.12", "", ">=3.12rc1", "~=3", ">=3.12.*", ">= three", "^3.11"])("rejects %j", (spec) => {
    expect(parseSpecifiers(spec)).toBeUndefined();
  });
});
