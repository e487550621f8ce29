import { describe, expect, it } from "vitest";
import { poetryClauses } from "../src/poetry.js";
import { specifiersMatch } from "../src/specifiers.js";

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
  const alternatives = poetryClauses(text);
  if (!alternatives) throw new Error(`not parsed: ${text}`);
  return VERSIONS.filter((v) => alternatives.some((clauses) => specifiersMatch(v, clauses)));
}

describe("poetryClauses", () => {
  it.each([
    ["^3.11", ["3.11.0", "3.11.2", "3.11.9", "3.12.0", "3.12.4", "3.13.1", "3.14.0"]],
    ["^3.11.2", ["3.11.2", "3.11.9", "3.12.0", "3.12.4", "3.13.1", "3.14.0"]],
    ["~3.11", ["3.11.0", "3.11.2", "3.11.9"]],
    ["~3.11.2", ["3.11.2", "3.11.9"]],
    ["~3", ["3.9.18", "3.10.0", "3.11.0", "3.11.2", "3.11.9", "3.12.0", "3.12.4", "3.13.1", "3.14.0"]],
    ["3.12", ["3.12.0", "3.12.4"]],
    ["3.12.*", ["3.12.0", "3.12.4"]],
    ["3.12.4", ["3.12.4"]],
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
    expect(poetryClauses("^0.2.1")?.[0]?.map((c) => c.text)).toEqual([">=0.2.1", "<0.3"]);
    expect(poetryClauses("^3")?.[0]?.map((c) => c.text)).toEqual([">=3", "<4"]);
  });

  it.each(["", "^3.x", "3.12 ||", "latest", ">=3.12rc1", "^"])("rejects %j", (text) => {
    expect(poetryClauses(text)).toBeUndefined();
  });
});
